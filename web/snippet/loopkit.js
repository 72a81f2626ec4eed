/*
 * loopkit.js: the page side of loopkit. Records page views, CTA clicks,
 * discount codes and lead forms through the WebAssembly core, keeps the
 * visitor's state in localStorage, shows the live lead score and sends
 * events to the collector.
 *
 *   <script async src="/loopkit/loopkit.js" data-collector="/collect"
 *           data-site="demo" data-scoring="/loopkit/scoring.json"></script>
 *
 * Calls made before this script has loaded wait in a queue when the page
 * (or one of its own external files) defines the stub first:
 *
 *   window.loopkit = window.loopkit || function () {
 *     (window.loopkit.q = window.loopkit.q || []).push(arguments)
 *   }
 *
 * Language level: ES2017, as a classic script (no module syntax, so it runs
 * from a plain async tag). Every decision about what an event means is taken
 * in the core; this file only moves data between the DOM and the core.
 */
;(function () {
  'use strict'

  if (window.loopkit && window.loopkit.version) return // included twice

  const VERSION = '0.1.0'
  const STATE_KEY = 'loopkit_state'
  const FLUSH_DELAY_MS = 1000
  // sendBeacon and fetch keepalive share a 64 KiB budget for bodies in
  // flight: https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
  const MAX_BODY_BYTES = 60 * 1024
  const encoder = new TextEncoder()
  const CTA_TEXT_MAX = 100
  // The core keeps only allow-listed lead fields; reading just these keeps
  // everything else a form holds out of the tracker in the first place.
  const LEAD_FIELDS = ['name', 'first_name', 'last_name', 'company',
    'job_title', 'country', 'company_size']
  const SKIPPED_INPUT_TYPES = ['password', 'hidden', 'file']

  // document.currentScript is null when this runs as a module or from a
  // callback, so fall back to finding our own tag.
  const script = document.currentScript ||
    document.querySelector('script[src*="loopkit.js"]')
  const settings = readSettings(script)
  const queued = (window.loopkit && window.loopkit.q) || []

  let tracker = null
  let coreFailed = false
  let flushTimer = 0
  const waiting = [] // work that arrived before the core was ready

  // ---- configuration -----------------------------------------------------

  function readSettings(tag) {
    const data = (tag && tag.dataset) || {}
    const scriptUrl = (tag && tag.src) || location.href

    return {
      baseUrl: new URL('./', scriptUrl).href,
      collector: new URL(data.collector || '/collect', scriptUrl).href,
      scoring: data.scoring ? new URL(data.scoring, scriptUrl).href : '',
      site: data.site || location.hostname,
      discountParams: list(data.discountParams),
      internalHosts: list(data.internalHosts),
      debug: data.debug !== undefined && data.debug !== 'false',
    }
  }

  function list(text) {
    return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []
  }

  function trackerConfig() {
    const config = { site: settings.site }
    if (settings.discountParams.length) {
      config.discount_params = settings.discountParams
    }
    if (settings.internalHosts.length) {
      config.internal_hosts = settings.internalHosts
    }
    return JSON.stringify(config)
  }

  // ---- start-up ----------------------------------------------------------

  async function start() {
    // Both downloads run in parallel; neither blocks the page, since this
    // script is async and import() does not hold up parsing.
    const [createCore, modelText] = await Promise.all([
      import(settings.baseUrl + 'loopkit-core.js').then((m) => m.default),
      fetchModel(),
    ])
    const core = await createCore({
      locateFile: (file) => settings.baseUrl + file,
      // The runtime's own messages stay out of the host page's console
      // unless asked for; a failure still reaches the one warning below.
      print: debugWarn,
      printErr: debugWarn,
    })

    tracker = new core.Tracker(trackerConfig(), randomSeed())
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
    if (saved && !tracker.restore(saved)) debugWarn('saved state ignored')
    showScore()

    whenVisible(recordPageView)
    whenDomReady(fillHiddenInputs)
    for (const work of waiting.splice(0)) guard(work)
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

  // A prerendered page may never be shown; count its view only once the
  // visitor actually sees it.
  // https://developer.chrome.com/docs/web-platform/prerender-pages
  function whenVisible(callback) {
    if (document.prerendering) {
      document.addEventListener('prerenderingchange', () => guard(callback),
        { once: true })
    } else {
      guard(callback)
    }
  }

  function whenDomReady(callback) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', () => guard(callback),
        { once: true })
    } else {
      guard(callback)
    }
  }

  // ---- state -------------------------------------------------------------

  function loadState() {
    try {
      return window.localStorage.getItem(STATE_KEY)
    } catch (_) {
      return null // storage may be blocked (sandboxed frame, privacy mode)
    }
  }

  // Two open tabs each save their own state, and the last write wins.
  function saveState() {
    try {
      window.localStorage.setItem(STATE_KEY, tracker.state())
    } catch (_) {
      // blocked or full: the tracker keeps working in memory for this page
    }
  }

  // ---- recording ---------------------------------------------------------

  // Runs work now when the core is up, later when it is still loading, and
  // never when it failed (that was already reported once).
  function whenReady(work) {
    if (tracker) guard(work)
    else if (!coreFailed) waiting.push(work)
  }

  function recordPageView() {
    tracker.pageView(location.href, document.referrer, document.title,
      Date.now())
    afterRecord()
  }

  function record(type, name, props) {
    const result = JSON.parse(
      tracker.record(type, name, JSON.stringify(props || {}), Date.now()))

    if (!result.ok) {
      const error = result.error || {}
      debugWarn('dropped ' + (name || type) + ': ' + error.message +
        (error.path ? ' (' + error.path + ')' : ''))
      return null
    }
    afterRecord()
    return result.event
  }

  function afterRecord() {
    showScore()
    saveState()
    if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_DELAY_MS)
  }

  function fillHiddenInputs(root) {
    const values = JSON.parse(tracker.fillValues())
    const inputs = (root || document).querySelectorAll('[data-loopkit-fill]')

    for (const input of inputs) {
      const key = input.getAttribute('data-loopkit-fill')
      if (key in values) input.value = String(values[key])
    }
  }

  // ---- live score --------------------------------------------------------

  // The core rescores after every event; this section only shows the
  // result. Grade, stage and status go on <html> so a site can style on
  // them, e.g. [data-loopkit-stage="hot"] .sales-cta { display: block }.
  const scoreListeners = []
  let shownScore = ''

  function showScore() {
    const text = tracker.score()
    if (text === shownScore) return
    shownScore = text

    const score = JSON.parse(text)
    const root = document.documentElement
    root.setAttribute('data-loopkit-grade', score.grade)
    root.setAttribute('data-loopkit-stage', score.stage)
    root.setAttribute('data-loopkit-status', score.status)
    fillHiddenInputs()
    for (const listener of scoreListeners.slice()) {
      guard(() => listener(score))
    }
  }

  // A listener hears the current score (at once, or when the core is
  // ready), then every change, so a page can render from it alone.
  function listenToScore(listener) {
    if (typeof listener !== 'function') {
      debugWarn('on score needs a function')
      return
    }
    scoreListeners.push(listener)
    if (shownScore) guard(() => listener(JSON.parse(shownScore)))
  }

  function stopListening(listener) {
    const at = scoreListeners.indexOf(listener)
    if (at >= 0) scoreListeners.splice(at, 1)
  }

  // ---- delivery ----------------------------------------------------------

  function flush() {
    clearTimeout(flushTimer)
    flushTimer = 0
    if (!tracker) return

    const events = JSON.parse(tracker.takeEvents())
    if (settings.debug) {
      for (const event of events) console.info('loopkit: ' + event.type, event)
    }
    for (const body of batches(events)) send(body)
  }

  // Splits events into bodies that each fit the beacon budget.
  function batches(events) {
    const bodies = []
    let parts = []
    let size = 0

    for (const event of events) {
      const text = JSON.stringify(event)
      const bytes = encoder.encode(text).length + 1
      if (parts.length && size + bytes > MAX_BODY_BYTES) {
        bodies.push('{"events":[' + parts.join(',') + ']}')
        parts = []
        size = 0
      }
      parts.push(text)
      size += bytes
    }
    if (parts.length) bodies.push('{"events":[' + parts.join(',') + ']}')
    return bodies
  }

  // text/plain keeps the request "simple", so a collector on another origin
  // gets no CORS preflight. sendBeacon survives the page unloading; it
  // returns false when the browser refuses to queue the body.
  // https://w3c.github.io/beacon/#sendbeacon-method
  function send(body) {
    try {
      const blob = new Blob([body], { type: 'text/plain' })
      if (navigator.sendBeacon && navigator.sendBeacon(settings.collector,
        blob)) return
    } catch (_) {
      // some browsers throw instead of returning false; fetch is next
    }

    fetch(settings.collector, {
      method: 'POST',
      body,
      keepalive: true,
      headers: { 'Content-Type': 'text/plain' },
    }).then((response) => {
      if (!response.ok) debugWarn('dropped a batch: HTTP ' + response.status)
    }, (error) => debugWarn('dropped a batch: ' + describe(error)))
  }

  // ---- DOM listeners -----------------------------------------------------

  function listen() {
    // Capture phase, so a host handler that stops propagation still lets us
    // see the click or submit, and we fill a form's fields before the
    // browser reads them.
    document.addEventListener('click', (e) => guard(() => onClick(e)), true)
    document.addEventListener('change', (e) => guard(() => onChange(e)), true)
    document.addEventListener('submit', (e) => guard(() => onSubmit(e)), true)

    // pagehide is the last event a page reliably gets, also on mobile and
    // when it enters the back/forward cache; visibilitychange covers tabs
    // that are hidden and then killed without unloading.
    // https://developer.chrome.com/docs/web-platform/page-lifecycle-api
    window.addEventListener('pagehide', () => guard(flush))
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') guard(flush)
    })
    // A page restored from the back/forward cache runs no script again, but
    // the visitor is looking at it anew, after pages that saved a newer
    // state than the one this page holds in memory.
    // https://web.dev/articles/bfcache
    window.addEventListener('pageshow', (e) => {
      if (!e.persisted) return
      whenReady(() => {
        const saved = loadState()
        if (saved) tracker.restore(saved)
        recordPageView()
      })
    })
  }

  function onClick(event) {
    const target = event.target
    const cta = target instanceof Element &&
      target.closest('[data-loopkit-cta]')
    if (!cta) return

    const props = {
      cta: cta.getAttribute('data-loopkit-cta'),
      text: label(cta),
    }
    whenReady(() => record('cta_click', '', props))
  }

  function label(element) {
    const text = element.textContent || element.value ||
      element.getAttribute('aria-label') || ''
    return text.replace(/\s+/g, ' ').trim().slice(0, CTA_TEXT_MAX)
  }

  function onChange(event) {
    const target = event.target
    if (!(target instanceof Element) ||
      !target.matches('[data-loopkit-discount]')) return

    const code = target.value.trim()
    if (code) whenReady(() => recordInputCode(target, code))
  }

  // A code is read on change and again on submit, since a form can be
  // submitted with Enter before the input ever fires change. Remembering
  // the last code per input keeps that from warning about a repeat; codes
  // used earlier in the session are still the core's to refuse.
  const codesSent = new WeakMap()

  function recordInputCode(input, code) {
    if (codesSent.get(input) === code) return
    codesSent.set(input, code)
    recordDiscount(code, 'input')
  }

  function recordDiscount(code, via) {
    record('discount_code', '', { code, via })
  }

  // Values are read now, while the form still holds them: the page may
  // reset it or navigate away before the core is ready.
  function onSubmit(event) {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return

    const codes = []
    for (const input of form.querySelectorAll('[data-loopkit-discount]')) {
      if (input.value.trim()) codes.push([input, input.value.trim()])
    }
    const formName = form.getAttribute('data-loopkit-form')
    const lead = formName !== null && readLead(form, formName)
    if (!codes.length && !lead) return

    whenReady(() => {
      for (const [input, code] of codes) recordInputCode(input, code)
      if (lead) {
        record('lead', '', lead)
        // After the lead, so lead_score includes the points it earned.
        fillHiddenInputs(form)
      }
      flush() // the submission may navigate away right after this
    })
  }

  function readLead(form, formName) {
    const emailInput = form.querySelector('input[type="email"]') ||
      form.querySelector('[name="email"]')
    const fields = {}

    for (const element of form.elements) {
      if (!LEAD_FIELDS.includes(element.name)) continue
      if (SKIPPED_INPUT_TYPES.includes(element.type)) continue
      if (/^cc-/.test(element.autocomplete || '')) continue // card data
      const value = String(element.value || '').trim()
      if (value) fields[element.name] = value
    }
    const lead = { form: formName || 'form', fields }
    if (emailInput && emailInput.value) lead.email = emailInput.value
    return lead
  }

  // ---- public API --------------------------------------------------------

  function publicApi() {
    function loopkit(command, ...args) {
      guard(() => {
        const handler = commands[command]
        if (handler) handler(...args)
        else debugWarn('unknown command "' + command + '"')
      })
    }
    loopkit.version = VERSION
    loopkit.ready = ready
    loopkit.score = currentScore
    return loopkit
  }

  const commands = {
    track(name, props) {
      if (typeof name !== 'string' || !name) {
        debugWarn('dropped track: the event needs a name')
        return
      }
      whenReady(() => record('track', name, props))
    },
    identify(person) {
      const email = person && person.email
      if (!email) {
        debugWarn('identify needs {email}')
        return
      }
      whenReady(() => {
        tracker.identify(String(email))
        saveState()
      })
    },
    discount(code) {
      if (code) whenReady(() => recordDiscount(String(code).trim(), 'api'))
    },
    score(callback) {
      currentScore().then((result) => {
        if (typeof callback === 'function') guard(() => callback(result))
      })
    },
    on(name, listener) {
      if (name === 'score') listenToScore(listener)
      else debugWarn('unknown event "' + name + '"')
    },
    off(name, listener) {
      if (name === 'score') stopListening(listener)
    },
  }

  // Resolves with the visitor's current score, or null without a core.
  function currentScore() {
    return ready.then((ok) => (ok ? JSON.parse(tracker.score()) : null))
      .catch((error) => {
        debugWarn('score failed: ' + describe(error))
        return null
      })
  }

  // ---- safety ------------------------------------------------------------

  // Nothing thrown here may reach the host page.
  function guard(work) {
    try {
      work()
    } catch (error) {
      debugWarn('internal error: ' + describe(error))
    }
  }

  function debugWarn(message) {
    if (settings.debug) console.warn('loopkit: ' + message)
  }

  function describe(error) {
    return (error && error.message) || String(error)
  }

  // ---- main --------------------------------------------------------------

  const ready = start().then(
    () => true,
    (error) => {
      tracker = null
      coreFailed = true
      waiting.length = 0
      console.warn('loopkit: tracking is off, the core did not load:',
        describe(error))
      return false
    })

  window.loopkit = publicApi()
  for (const args of queued) window.loopkit.apply(null, args)
  listen()
})()
