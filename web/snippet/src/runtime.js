// One loopkit instance: loads the WebAssembly core, wires the DOM, storage
// and delivery to it, and answers the public API. Every decision about what
// an event means is taken in the core; this only moves data between the
// page and the core. Without a core (fallback.js) only page views are sent.
//
// Nothing is read from storage, recorded in the core or sent before consent
// allows it (consent.js); what the page does meanwhile waits in memory,
// with its time, and is recorded on a grant or dropped on a denial.
//
// The core is the longest wait of a first visit, and many visitors leave
// within seconds, so a page view does not wait for it: it goes out raw at
// once, for the collector to classify (fallback.js), and the core takes it
// in when it arrives, under the same id, so that its event replaces the raw
// one. A page left before its core arrived hands its views on to the next
// page's core (storage.js, loadViews).

import { createConsent } from './consent.js'
import { instantiateCore } from './core.js'
import { createDelivery, randomId } from './delivery.js'
import { fillHiddenInputs, listenToDom } from './dom.js'
import { rawPageView } from './fallback.js'
import { leadFromApi } from './forms.js'
import { createLog, describe } from './log.js'
import { createScoreView } from './score.js'
import { trackerConfig } from './settings.js'
import { watchRoutes } from './spa.js'
import {
  loadState, loadViews, readVisitorId, saveState, saveViews, writeVisitorId,
} from './storage.js'

export const VERSION = '0.2.0'
const WASM_FILE = 'loopkit-page.wasm' // beside loopkit.js (settings.base)

// settings: from settings.js. Returns the public loopkit function.
export function createLoopkit(settings) {
  // The core is the longest wait before the first page view, so its
  // download starts before anything else is set up (consent's first read
  // of localStorage alone can take milliseconds).
  const wasmResponse = downloadWasm(settings)
  const ctx = {
    settings,
    log: createLog(settings.debug),
    tracker: null, // the core's Tracker while tracking runs
  }
  const { log } = ctx
  const consent = createConsent(settings, log)
  let core = null // the Tracker, once loaded, whatever consent says
  let coreFailed = false
  let tracking = false // consent given and the core (or fallback) ready
  let visitorId = '' // as last written to storage
  let replayTime = 0 // the time of the waiting work being run
  const waiting = [] // { view } or { work, time }, until tracking runs
  let shown = null // the view the visitor is on, recorded or not
  let recorded = null // the last view recorded (by the core, or raw)
  let newCore = null // a fresh Tracker for a visitor who starts over
  let left = false // between pagehide and a return from the bfcache
  const handedOnIds = new Set() // views this page left to other pages' cores

  const delivery = createDelivery(ctx, {
    canStore: () => consent.state() === 'granted',
    dropped: (count) => {
      if (ctx.tracker) record('track', 'loopkit_dropped', { count })
    },
  })
  const scoreView = createScoreView(ctx, () => fillHiddenInputs(ctx))
  const routes = watchRoutes(log, recordView)

  // ---- start-up ----------------------------------------------------------

  async function start() {
    // The downloads run in parallel; none blocks the page, since the script
    // is async. The .wasm is compiled as it arrives, while the files below
    // are still on their way.
    const [module, modelText, referrers, channels] = await Promise.all([
      compileWasm(wasmResponse),
      fetchModel(),
      fetchJson(settings.referrers, 'referrers'),
      fetchJson(settings.channels, 'channels'),
    ])
    const wasm = await instantiateCore(module)

    // The first calls into a fresh module run cold code (the engine
    // compiles each function when it is first called): instantiating,
    // building the tracker and the first page view each take a few to tens
    // of milliseconds. Separate tasks keep each under the 50 ms that makes
    // a long task, so the page stays responsive while loopkit starts.
    // https://web.dev/articles/optimize-long-tasks
    await nextTask()
    const config = JSON.parse(trackerConfig(settings, { referrers, channels }))
    let model = modelText
    newCore = () => {
      const tracker = makeTracker(wasm, config) // drops what it refused
      if (model) {
        const modelError = tracker.setModel(model)
        if (modelError) {
          console.warn('loopkit: scoring model ignored, using the default:',
            modelError)
          model = ''
        }
      }
      return tracker
    }
    core = newCore()
    await nextTask()
    begin()
  }

  // Starts tracking once the core has loaded (or failed) and consent
  // allows it; runs what waited meanwhile, in order.
  function begin() {
    if (tracking) return
    if (consent.state() !== 'granted') {
      if (consent.state() === 'denied') dropWaiting()
      return
    }
    // A grant that lifts a denial (an earlier opt-out, Do Not Track, GPC)
    // finds the view the visitor is on dropped; it counts from now on.
    if (shown && recorded !== shown &&
      !waiting.some((entry) => entry.view === shown)) {
      waiting.push({ view: shown })
    }
    if (!(core || coreFailed)) {
      for (const entry of waiting) if (entry.view) sendEarly(entry.view)
      return
    }
    tracking = true
    const own = waitingViewIds() // sent raw before the core arrived

    if (core) {
      const saved = loadState()
      if (saved && !core.restore(saved)) log.warn('saved state ignored')
      // The cookie may hold a visitor that another subdomain of the site
      // made; it wins over this origin's saved state.
      const id = readVisitorId(settings)
      if (id) core.adoptVisitor(id)
      ctx.tracker = core
      keepVisitorId(core.visitorId())
    } else {
      keepVisitorId(readVisitorId(settings) || randomId())
      // The raw views this page sent stay as the collector classified
      // them; unless the page is being left, which also stops the .wasm's
      // download: then they are the next page's to take in.
      if (!left) saveViews(loadViews().filter((v) => !own.has(v.id)))
    }
    delivery.claim()
    // What waited here and the views other pages handed on (left before
    // their core arrived), in the order the visitor saw them, so that the
    // visit they began carries on here: its campaign in the hidden fields,
    // its session. A page back from the back/forward cache is older than
    // the one it led to; its own views, handed on as it went into the
    // cache, are still waiting here.
    const stored = ctx.tracker ? loadViews() : []
    const kept = new Set(stored.map((v) => v.id))
    const work = waiting.splice(0)
    for (const view of stored) {
      if (view.gone && !own.has(view.id)) work.push({ view, handedOn: true })
    }
    const timeOf = (entry) => (entry.view ? entry.view.time : entry.time)
    for (const entry of work.sort((a, b) => timeOf(a) - timeOf(b))) {
      const { view } = entry
      if (entry.handedOn) log.guard(() => takeIn(view))
      else if (ctx.tracker && view && handedOnIds.has(view.id) &&
        !kept.has(view.id)) {
        // This page handed it on, and another page's core has taken it
        // in since: it is in the state restored above.
        recorded = view
      } else if (view) log.guard(() => pageView(view))
      else if (ctx.tracker) replay(entry)
    }
    // After what waited, so that a waiting page view goes out first (it
    // shows the score and fills the forms itself); without one, they show
    // the state restored above.
    if (ctx.tracker) {
      scoreView.show()
      whenDomReady(() => fillHiddenInputs(ctx))
    }
  }

  // A view the core has not taken in yet goes out raw at once (see the top
  // of this file), under the id its event will have, and is remembered for
  // a later page's core should this page be left first.
  function sendEarly(view) {
    if (view.id || core || coreFailed || consent.state() !== 'granted') return
    keepVisitorId(readVisitorId(settings) || randomId())
    const raw = rawPageView(settings, visitorId, view)
    view.id = raw.id
    delivery.add('raw_page_views', [raw])
    const { id, url, referrer, title, time } = raw
    saveViews([...loadViews(), { id, url, referrer, title, time }])
  }

  // The page is left before its core arrived: its views are the next
  // page's core's to take in. Only a left page's: another tab still
  // loading its core takes in its own.
  function handOnViews() {
    const ids = waitingViewIds()
    if (!ids.size || consent.state() !== 'granted') return
    saveViews(loadViews().map((v) =>
      (ids.has(v.id) ? { ...v, gone: true } : v)))
    for (const id of ids) handedOnIds.add(id)
  }

  // The ids of this page's views sent raw and not yet taken in.
  function waitingViewIds() {
    return new Set(waiting.filter((e) => e.view && e.view.id)
      .map((e) => e.view.id))
  }

  function takeIn(view) {
    ctx.tracker.pageView(view.url, view.referrer, view.title, view.time,
      view.id)
    if (view.id) saveViews(loadViews().filter((v) => v.id !== view.id))
    afterRecord()
  }

  function replay(entry) {
    replayTime = entry.time
    log.guard(entry.work)
    replayTime = 0
  }

  // The visitor said no (or their browser did): what waited is not sent.
  function dropWaiting() {
    for (const entry of waiting.splice(0)) {
      log.warn('dropped ' + (entry.view ? 'page_view' : 'an event') + ': ' +
        consent.reason())
    }
  }

  function keepVisitorId(id) {
    if (id === visitorId) return
    visitorId = id
    writeVisitorId(id, settings)
  }

  // A referer-parser database or custom channel rules: the parsed JSON, or
  // undefined (the core's defaults) after one warning.
  async function fetchJson(url, what) {
    if (!url) return undefined
    try {
      const response = await fetch(url)
      if (!response.ok) throw new Error('HTTP ' + response.status)
      return await response.json()
    } catch (error) {
      console.warn('loopkit: ' + what + ' not loaded, using the defaults:',
        describe(error))
      return undefined
    }
  }

  // Streaming compilation needs the server to send application/wasm (the
  // collector does); from any other server the bytes are compiled once
  // they are all there.
  // https://developer.mozilla.org/en-US/docs/Web/API/WebAssembly/compileStreaming_static
  async function compileWasm(download) {
    const response = await download
    if (!response.ok) throw new Error(WASM_FILE + ': HTTP ' + response.status)
    const type = response.headers.get('content-type') || ''
    if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(response)
    }
    return WebAssembly.compile(await response.arrayBuffer())
  }

  async function fetchModel() {
    if (!settings.scoring) return ''
    try {
      const response = await fetch(settings.scoring)
      if (!response.ok) throw new Error('HTTP ' + response.status)
      return await response.text()
    } catch (error) {
      console.warn('loopkit: scoring model not loaded, using the default:',
        describe(error))
      return ''
    }
  }

  // A prerendered page may never be shown; count its view only once the
  // visitor actually sees it.
  // https://developer.chrome.com/docs/web-platform/prerender-pages
  function whenVisible(callback) {
    if (document.prerendering) {
      document.addEventListener('prerenderingchange',
        () => log.guard(callback), { once: true })
    } else {
      log.guard(callback)
    }
  }

  function whenDomReady(callback) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded',
        () => log.guard(callback), { once: true })
    } else {
      log.guard(callback)
    }
  }

  // ---- recording ---------------------------------------------------------

  // Runs work now when tracking runs, later when the core is loading or
  // consent is pending, and never when the core failed (that was already
  // reported once) or consent was denied.
  function whenReady(work) {
    if (ctx.tracker) log.guard(work)
    else if (consent.state() === 'denied') {
      log.warn('dropped an event: ' + consent.reason())
    } else if (!coreFailed) {
      waiting.push({ work, time: Date.now() })
    }
  }

  // view: { url, referrer, title, time }, taken when the visitor saw it.
  function recordView(view) {
    shown = view
    if (tracking) pageView(view)
    else if (consent.state() === 'denied') {
      log.warn('dropped page_view: ' + consent.reason())
    } else {
      waiting.push({ view })
      // In a task of its own: the script's first task (its download is
      // under way, the DOM hooked) stays short on a slow phone.
      setTimeout(() => log.guard(() => sendEarly(view)))
    }
  }

  function viewNow() {
    recordView({ url: location.href, referrer: document.referrer,
      title: document.title, time: Date.now() })
  }

  function pageView(view) {
    recorded = view
    if (!ctx.tracker) {
      if (view.id) return // sent raw already
      delivery.add('raw_page_views', [rawPageView(settings, visitorId, view)])
      return
    }
    takeIn(view) // the view goes out first; what follows can wait for it
    keepVisitorId(ctx.tracker.visitorId()) // one from a cross-domain link
    // The link parameter has done its work; a URL the visitor copies or
    // bookmarks should not hand their id to someone else.
    const clean = ctx.tracker.cleanUrl(location.href)
    if (clean) {
      history.replaceState(history.state, '', clean)
      routes.moved()
    }
    // Hidden fields hold this view's campaign from the start, not only
    // after the next score change or submit.
    whenDomReady(() => fillHiddenInputs(ctx))
  }

  function record(type, name, props) {
    const result = JSON.parse(ctx.tracker.record(type, name,
      JSON.stringify(props || {}), replayTime || Date.now()))

    if (!result.ok) {
      const error = result.error || {}
      const text = 'dropped ' + (name || type) + ': ' + error.message +
        (error.path ? ' (' + error.path + ')' : '')
      // A double click is one event by design, not a problem to report.
      if (error.message === 'repeat click') log.info(text, error)
      else log.warn(text)
      return null
    }
    afterRecord()
    return result.event
  }

  function recordDiscount(code, via) {
    record('discount_code', '', { code, via })
  }

  // The events go first: a page view is sent at once, before the rest.
  function afterRecord() {
    delivery.add('events', JSON.parse(ctx.tracker.takeEvents()))
    saveState(ctx.tracker)
    scoreView.show()
  }

  consent.onChange((state) => {
    if (state === 'granted') {
      begin()
      return
    }
    dropWaiting()
    tracking = false
    ctx.tracker = null
    visitorId = ''
    delivery.clear()
    // The visitor is forgotten in the page too: a later grant starts a
    // new, anonymous one, from the page they are on, rather than the ids
    // and touches of this one.
    recorded = null
    if (shown) delete shown.id
    if (core) {
      core.delete()
      core = newCore()
    }
  })

  // ---- page lifecycle ----------------------------------------------------

  function listen() {
    listenToDom(ctx, {
      record,
      discount: recordDiscount,
      whenReady,
      flush: delivery.flush,
    })

    // pagehide is the last event a page reliably gets, also on mobile and
    // when it enters the back/forward cache; visibilitychange covers tabs
    // that are hidden and then killed without unloading.
    // https://developer.chrome.com/docs/web-platform/page-lifecycle-api
    const leave = (unloading) => log.guard(() => {
      routes.check()
      if (!tracking) for (const e of waiting) if (e.view) sendEarly(e.view)
      if (unloading) {
        left = true
        handOnViews()
      }
      delivery.leave(unloading)
    })
    window.addEventListener('pagehide', () => leave(true))
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') leave(false)
    })
    // Queues that waited for the network, here and in tabs now gone.
    window.addEventListener('online', () => {
      if (tracking) log.guard(delivery.resume)
    })
    // A page restored from the back/forward cache runs no script again, but
    // the visitor is looking at it anew, after pages that saved a newer
    // state than the one this page holds in memory.
    // https://web.dev/articles/bfcache
    window.addEventListener('pageshow', (e) => log.guard(() => {
      if (!e.persisted) return
      left = false
      if (tracking) delivery.resume()
      const saved = ctx.tracker && loadState()
      if (saved) ctx.tracker.restore(saved)
      viewNow()
    }))
  }

  // ---- public API --------------------------------------------------------

  const commands = {
    consent: consent.set,
    track(name, props) {
      if (typeof name !== 'string' || !name) {
        log.warn('dropped track: the event needs a name')
        return
      }
      whenReady(() => record('track', name, props))
    },
    identify(person) {
      const email = person && person.email
      if (!email) {
        log.warn('identify needs {email}')
        return
      }
      whenReady(() => {
        ctx.tracker.identify(String(email))
        saveState(ctx.tracker)
      })
    },
    // DOM capture: a lead from the page's own code (no form submit).
    lead(details) {
      const props = leadFromApi(settings, details)
      if (!props) {
        log.warn('lead needs {form, email, fields}')
        return
      }
      whenReady(() => {
        record('lead', '', props)
        delivery.flush()
      })
    },
    discount(code) {
      if (code) whenReady(() => recordDiscount(String(code).trim(), 'api'))
    },
    score(callback) {
      fromCore('score').then((result) => {
        if (typeof callback === 'function') log.guard(() => callback(result))
      })
    },
    on(name, listener) {
      if (name === 'score') scoreView.listen(listener)
      else log.warn('unknown event "' + name + '"')
    },
    off(name, listener) {
      if (name === 'score') scoreView.unlisten(listener)
    },
  }

  // Resolves with the core's answer, or null without a core or consent.
  function fromCore(what) {
    return ready.then((ok) => (ok && ctx.tracker
      ? JSON.parse(ctx.tracker[what]()) : null))
      .catch((error) => {
        log.warn(what + ' failed: ' + describe(error))
        return null
      })
  }

  function loopkit(command, ...args) {
    log.guard(() => {
      const handler = commands[command]
      if (handler) handler(...args)
      else log.warn('unknown command "' + command + '"')
    })
  }

  const ready = start().then(
    () => true,
    (error) => {
      ctx.tracker = null
      core = null
      coreFailed = true
      console.warn('loopkit: the core did not load, sending page views ' +
        'only:', describe(error))
      begin()
      return false
    })

  loopkit.version = VERSION
  loopkit.ready = ready
  loopkit.score = () => fromCore('score')
  loopkit.touches = () => fromCore('touches')
  listen()
  whenVisible(viewNow)
  return loopkit
}

// An async function, so that a browser without fetch gets a rejection (and
// page views without the core) rather than an exception.
async function downloadWasm(settings) {
  return fetch(settings.base + WASM_FILE)
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

// The core refuses a config with a bad value; that setting alone is left
// out (with one warning each) and the others still apply, the site's name
// among them.
function makeTracker(wasm, config) {
  for (;;) {
    const tracker = new wasm.Tracker(JSON.stringify(config), randomSeed())
    const error = tracker.configError()
    if (!error) return tracker
    console.warn('loopkit: setting ignored:', error)
    const key = error.slice(1).split(/[/:]/)[0]
    if (!(key in config)) return tracker // the core's defaults
    tracker.delete()
    delete config[key]
  }
}

// Session and visitor ids come from this seed; Math.random is a fallback
// for browsers without Web Crypto, where ids only need to be unlikely to
// collide, not secret.
function randomSeed() {
  const bytes = new Uint8Array(16)
  if (window.crypto && crypto.getRandomValues) {
    crypto.getRandomValues(bytes)
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.random() * 256
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
