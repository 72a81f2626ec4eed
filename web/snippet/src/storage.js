// What the snippet keeps in the visitor's browser: the visitor id (a
// first-party cookie, mirrored in localStorage so either restores the
// other), the tracker's state between pages, the delivery queue, the page
// views no core has taken in yet, and an opt-out. Storage may be blocked
// (sandboxed frames, privacy modes) or full; the tracker then keeps working
// in memory for the page. Nothing is stored while consent does not allow it
// (consent.js decides; the caller checks).

const ID_KEY = 'loopkit_id'
const STATE_KEY = 'loopkit_state'
const OPT_OUT_KEY = 'loopkit_opt_out'
const VIEWS_KEY = 'loopkit_views'
export const QUEUE_PREFIX = 'loopkit_queue.'
// The core's rule for visitor ids (Tracker.adoptVisitor).
const VALID_ID = /^[A-Za-z0-9_-]{8,64}$/

export function getItem(key) {
  try {
    return window.localStorage.getItem(key)
  } catch (_) {
    return null // blocked
  }
}

export function setItem(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key)
    else window.localStorage.setItem(key, value)
    return true
  } catch (_) {
    return false // blocked or full: in memory only
  }
}

export function storageKeys() {
  try {
    return Object.keys(window.localStorage)
  } catch (_) {
    return []
  }
}

export const loadState = () => getItem(STATE_KEY)

// Two open tabs each save their own state, and the last write wins.
export const saveState = (tracker) => setItem(STATE_KEY, tracker.state())

function cookieValues() {
  try {
    return document.cookie.split(/;\s*/)
      .filter((pair) => pair.startsWith(ID_KEY + '='))
      .map((pair) => decodeURIComponent(pair.slice(ID_KEY.length + 1)))
  } catch (_) {
    return [] // cookies blocked, or a sandboxed document
  }
}

function setCookie(value, settings, shared) {
  const age = value ? Math.round(settings.cookieDays * 86400) : 0
  try {
    document.cookie = ID_KEY + '=' + encodeURIComponent(value) +
      '; path=/; max-age=' + age + '; SameSite=Lax' +
      (shared ? '; domain=' + settings.cookieDomain : '') +
      (location.protocol === 'https:' ? '; Secure' : '')
  } catch (_) {
    // blocked
  }
}

// The stored visitor id, or null. A cookie shared by the site's subdomains
// (settings.cookieDomain) wins over a copy set for this host alone: both
// arrive in document.cookie with nothing to tell them apart, so the
// host-only copy is expired and the one left is the shared one.
export function readVisitorId(settings) {
  let values = cookieValues()
  if (settings.cookieDomain && values.length > 1) {
    setCookie('', settings, false)
    values = cookieValues()
  }
  return [...values, getItem(ID_KEY)].find((id) => VALID_ID.test(id || '')) ||
    null
}

// Writes id to the cookie and to localStorage, renewing the cookie's
// lifetime; the cookie moves to the shared domain when one is set.
export function writeVisitorId(id, settings) {
  if (settings.cookieDomain) setCookie('', settings, false)
  setCookie(id, settings, Boolean(settings.cookieDomain))
  setItem(ID_KEY, id)
}

// A visitor who opts out keeps only the opt-out: the id, the state and any
// queued events go.
export function forgetVisitor(settings) {
  setCookie('', settings, false)
  if (settings.cookieDomain) setCookie('', settings, true)
  for (const key of storageKeys()) {
    if (key === ID_KEY || key === STATE_KEY || key === VIEWS_KEY ||
      key.startsWith(QUEUE_PREFIX)) {
      setItem(key, null)
    }
  }
}

// Page views sent raw, before the page's core had arrived, that no core
// has taken in yet: [{ id, url, referrer, title, time, gone }], gone once
// their page was left. At most MAX_VIEWS, the newest; none older than
// VIEW_DAYS.
const MAX_VIEWS = 20
const VIEW_DAYS = 7

export function loadViews() {
  let views
  try {
    views = JSON.parse(getItem(VIEWS_KEY))
  } catch (_) {
    return []
  }
  const since = Date.now() - VIEW_DAYS * 86400 * 1000
  return Array.isArray(views)
    ? views.filter((v) => v && typeof v.id === 'string' &&
      typeof v.url === 'string' && v.time > since)
    : []
}

export function saveViews(views) {
  setItem(VIEWS_KEY, views.length
    ? JSON.stringify(views.slice(-MAX_VIEWS)) : null)
}

export const optedOut = () => getItem(OPT_OUT_KEY) === '1'
export const setOptedOut = (out) => setItem(OPT_OUT_KEY, out ? '1' : null)
