// One loopkit instance: loads the WebAssembly core, wires the DOM, storage
// and delivery to it, and answers the public API. Every decision about what
// an event means is taken in the core; this only moves data between the
// page and the core.

import { createDelivery } from './delivery.js'
import { fillHiddenInputs, listenToDom } from './dom.js'
import { createLog, describe } from './log.js'
import { createScoreView } from './score.js'
import { trackerConfig } from './settings.js'
import { loadState, saveState } from './storage.js'

export const VERSION = '0.2.0'

// settings: from settings.js. Returns the public loopkit function.
export function createLoopkit(settings) {
  const ctx = {
    settings,
    log: createLog(settings.debug),
    tracker: null, // the core's Tracker once it has loaded
  }
  const { log } = ctx
  let coreFailed = false
  const waiting = [] // work that arrived before the core was ready

  const delivery = createDelivery(ctx)
  const scoreView = createScoreView(ctx, () => fillHiddenInputs(ctx))

  // ---- start-up ----------------------------------------------------------

  async function start() {
    // Both downloads run in parallel; neither blocks the page, since the
    // script is async and import() does not hold up parsing.
    const [createCore, modelText] = await Promise.all([
      import(settings.base + 'loopkit-core.js').then((m) => m.default),
      fetchModel(),
    ])
    const core = await createCore({
      locateFile: (file) => settings.base + file,
      // The runtime's own messages stay out of the host page's console
      // unless asked for; a failure still reaches the one warning below.
      print: log.warn,
      printErr: log.warn,
    })

    const tracker = new core.Tracker(trackerConfig(settings), randomSeed())
    const configError = tracker.configError()
    if (configError) console.warn('loopkit: bad settings:', configError)
    if (modelText) {
      const modelError = tracker.setModel(modelText)
      if (modelError) {
        console.warn('loopkit: scoring model ignored, using the default:',
          modelError)
      }
    }
    const saved = loadState()
    if (saved && !tracker.restore(saved)) log.warn('saved state ignored')
    ctx.tracker = tracker
    scoreView.show()

    whenVisible(recordPageView)
    whenDomReady(() => fillHiddenInputs(ctx))
    for (const work of waiting.splice(0)) log.guard(work)
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

  // Runs work now when the core is up, later when it is still loading, and
  // never when it failed (that was already reported once).
  function whenReady(work) {
    if (ctx.tracker) log.guard(work)
    else if (!coreFailed) waiting.push(work)
  }

  function recordPageView() {
    ctx.tracker.pageView(location.href, document.referrer, document.title,
      Date.now())
    afterRecord()
  }

  function record(type, name, props) {
    const result = JSON.parse(ctx.tracker.record(type, name,
      JSON.stringify(props || {}), Date.now()))

    if (!result.ok) {
      const error = result.error || {}
      log.warn('dropped ' + (name || type) + ': ' + error.message +
        (error.path ? ' (' + error.path + ')' : ''))
      return null
    }
    afterRecord()
    return result.event
  }

  function recordDiscount(code, via) {
    record('discount_code', '', { code, via })
  }

  function afterRecord() {
    scoreView.show()
    saveState(ctx.tracker)
    delivery.schedule()
  }

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
    window.addEventListener('pagehide', () => log.guard(delivery.flush))
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') log.guard(delivery.flush)
    })
    // A page restored from the back/forward cache runs no script again, but
    // the visitor is looking at it anew, after pages that saved a newer
    // state than the one this page holds in memory.
    // https://web.dev/articles/bfcache
    window.addEventListener('pageshow', (e) => {
      if (!e.persisted) return
      whenReady(() => {
        const saved = loadState()
        if (saved) ctx.tracker.restore(saved)
        recordPageView()
      })
    })
  }

  // ---- public API --------------------------------------------------------

  const commands = {
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
    discount(code) {
      if (code) whenReady(() => recordDiscount(String(code).trim(), 'api'))
    },
    score(callback) {
      currentScore().then((result) => {
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

  // Resolves with the visitor's current score, or null without a core.
  function currentScore() {
    return ready.then((ok) => (ok ? JSON.parse(ctx.tracker.score()) : null))
      .catch((error) => {
        log.warn('score failed: ' + describe(error))
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
      coreFailed = true
      waiting.length = 0
      console.warn('loopkit: tracking is off, the core did not load:',
        describe(error))
      return false
    })

  loopkit.version = VERSION
  loopkit.ready = ready
  loopkit.score = currentScore
  listen()
  return loopkit
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
