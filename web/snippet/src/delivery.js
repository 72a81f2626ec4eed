// Getting events to the collector without losing or doubling any. Events
// wait in a queue, kept in localStorage when consent allows, until a fetch
// got a 2xx, or the browser accepted a beacon from a page that stays; the
// collector stores each id once, so a batch sent twice after a lost answer
// still counts once.
//
// Each tab owns its queue (its own key), so two tabs never send the same
// event; a queue whose tab has gone (a reload, a closed tab, a crash) is
// claimed by the next page that starts, under a lock.

import { describe } from './log.js'
import { QUEUE_PREFIX, getItem, setItem, storageKeys } from './storage.js'

const FLUSH_DELAY_MS = 1000
const FLUSH_COUNT = 10
// sendBeacon and fetch keepalive share a 64 KiB budget for bodies in
// flight: https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
const MAX_BODY_BYTES = 60 * 1024
// What a queue may hold while the collector is out of reach; the oldest
// go first, and the collector hears how many (a loopkit_dropped event).
const MAX_QUEUED = 500
const MAX_QUEUED_BYTES = 256 * 1024
// A full queue is trimmed this far below its limits, so that the event
// reporting the drop fits without pushing out another one.
const REPORT_ROOM_BYTES = 4 * 1024
const DROPPED = 'loopkit_dropped'
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 60 * 1000
// A queue not written for this long belongs to a tab that died without
// pagehide; a live tab rewrites its queue at least every RETRY_MAX_MS.
const ORPHAN_MS = 3 * RETRY_MAX_MS
const LEASE_KEY = 'loopkit_lease'
const LEASE_MS = 5000
const encoder = new TextEncoder()

// hooks: { canStore() -> bool, dropped(count) }
export function createDelivery(ctx, hooks) {
  const { log, settings } = ctx
  const tab = randomId()
  const key = QUEUE_PREFIX + tab
  // { kind: 'events' | 'raw_page_views', item, bytes, key }: the key is
  // the id, marked for a raw view, which the page view its core makes
  // later under the same id replaces.
  let queue = []
  const inFlight = new Set() // keys
  const unconfirmed = new Set() // keys a beacon carried as the page left
  let stored = false // whether our key holds a queue written by us
  let lastSaved = [] // the keys it holds
  let timer = 0
  let attempt = 0
  let gone = false
  let dropped = 0 // events dropped and not yet reported
  let reporting = false

  // ---- the queue ---------------------------------------------------------

  function add(kind, items) {
    const known = new Set(queue.map((e) => e.key))
    let pageView = false
    for (const item of items) {
      const entry = makeEntry(kind, item)
      if (known.has(entry.key)) continue
      log.info('queued ' + (item.type || 'raw page_view'), item)
      // The raw view this page view replaces need not go, unless it is on
      // its way already.
      if (item.type === 'page_view') {
        queue = queue.filter((e) => e.key !== RAW + item.id ||
          inFlight.has(e.key))
      }
      queue.push(entry)
      pageView = pageView || kind === 'raw_page_views' ||
        item.type === 'page_view'
    }
    trim()
    save()
    // A page view goes at once: many visitors leave within seconds, and
    // what came with it (a discount code in the URL) rides along.
    if (pageView || queue.length - inFlight.size >= FLUSH_COUNT) flush()
    else schedule(FLUSH_DELAY_MS)
  }

  // Drops the oldest events of a full queue and reports how many, once
  // for a burst: a dropped report's count carries over to the next.
  function trim() {
    let bytes = queue.reduce((sum, e) => sum + e.bytes, 0)
    if (queue.length <= MAX_QUEUED && bytes <= MAX_QUEUED_BYTES) return
    const before = dropped
    while (queue.length > MAX_QUEUED - 1 ||
      bytes > MAX_QUEUED_BYTES - REPORT_ROOM_BYTES) {
      const at = queue.findIndex((e) => !inFlight.has(e.key))
      if (at < 0) break
      const { item } = queue[at]
      bytes -= queue[at].bytes
      queue.splice(at, 1)
      const report = item.name === DROPPED && item.props &&
        Number(item.props.count)
      dropped += report > 0 ? report : 1
    }
    if (dropped === before) return
    log.warn('dropped ' + (dropped - before) +
      ' queued events: the queue is full')
    if (reporting) return
    reporting = true
    setTimeout(() => log.guard(() => {
      reporting = false
      const count = dropped
      dropped = 0
      hooks.dropped(count)
    }))
  }

  function remove(keys) {
    for (const k of keys) unconfirmed.delete(k)
    queue = queue.filter((e) => !keys.has(e.key))
    save()
  }

  // Writes our queue. When our key has vanished since the last write,
  // another page claimed it (we looked dead to it): those events are its
  // to send now, and only the ones added since stay ours.
  function save() {
    if (!hooks.canStore()) return
    const text = getItem(key)
    if (stored && text === null) {
      const theirs = new Set(lastSaved)
      queue = queue.filter((e) => !theirs.has(e.key))
    }
    if (!queue.length) {
      setItem(key, null)
      stored = false
      lastSaved = []
      return
    }
    const items = queue.map((e) => [e.kind, e.item])
    stored = setItem(key, JSON.stringify({ t: Date.now(), gone, items }))
    lastSaved = stored ? queue.map((e) => e.key) : []
  }

  // Takes over the queues of tabs that are gone and sends them at once.
  // The lock keeps two pages starting together from both taking (and
  // sending) the same queue.
  function claim() {
    if (!hooks.canStore()) return Promise.resolve()
    let claimed = 0
    return withLock(() => {
      for (const other of storageKeys()) {
        if (!other.startsWith(QUEUE_PREFIX) || other === key) continue
        const saved = parse(getItem(other))
        if (!saved || !(saved.gone || Date.now() - saved.t > ORPHAN_MS)) {
          continue
        }
        setItem(other, null)
        const known = new Set(queue.map((e) => e.key))
        for (const [kind, item] of saved.items || []) {
          if (!item || !item.id || !KINDS.includes(kind)) continue
          const entry = makeEntry(kind, item)
          if (known.has(entry.key)) continue
          queue.push(entry)
          claimed++
        }
      }
      trim()
      save()
    }).then(() => {
      if (claimed) flush()
    }, (error) => log.warn('queue not claimed: ' + describe(error)))
  }

  // ---- sending -----------------------------------------------------------

  function schedule(delay) {
    if (!timer) timer = setTimeout(() => log.guard(flush), delay)
  }

  // Sends what is queued and not already on its way, with fetch keepalive
  // (which, unlike a beacon, tells us whether the collector stored it). An
  // offline browser sends nothing; the online event brings us back.
  function flush() {
    clearTimeout(timer)
    timer = 0
    if (inFlight.size || navigator.onLine === false) return
    const batch = nextBatch()
    if (!batch) return

    const keys = new Set(batch.keys)
    for (const k of keys) inFlight.add(k)
    fetch(settings.collector, {
      method: 'POST',
      body: batch.body,
      keepalive: true,
      headers: { 'Content-Type': 'text/plain' },
      // The page's URL may hold what the core redacts from the events (an
      // address in a query string); the body carries the page anyway.
      referrerPolicy: 'no-referrer',
    }).then((response) => {
      // Chromium counts a keepalive request against its 64 KiB until its
      // response has been read: unread answers stopped all sending after
      // about 64 KiB in a page.
      response.arrayBuffer().catch(() => {})
      if (response.ok) sent(keys, 'fetch')
      else if (response.status >= 400 && response.status < 500 &&
        response.status !== 408 && response.status !== 429) {
        // The collector refuses the body itself; sending it again would
        // only be refused again.
        log.warn('dropped ' + keys.size + ' events: HTTP ' + response.status)
        remove(keys)
      } else {
        throw new Error('HTTP ' + response.status)
      }
    }).catch((error) => retry(describe(error))).finally(() => {
      for (const k of keys) inFlight.delete(k)
      if (!attempt && queue.length) schedule(0)
    })
  }

  function sent(keys, how) {
    log.info('sent ' + keys.size + ' by ' + how, [...keys])
    attempt = 0
    remove(keys)
  }

  // Exponential backoff with jitter, so the tabs of many visitors do not
  // come back to a recovering collector all at once.
  function retry(reason) {
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt)
    attempt++
    log.info('send failed (' + reason + '), retrying', delay)
    save() // refreshes our queue's time: we are alive
    schedule(delay * (0.5 + Math.random() / 2))
  }

  // The page is being hidden or unloaded: a beacon outlives it. Offline,
  // a beacon would be accepted and then lost, so the queue stays stored
  // for the next page instead. A beacon tells nothing of the answer, so
  // what it carries as the page goes (or while the collector is failing)
  // stays stored too, and the next page of the site sends it again: the
  // collector keeps each id once, and a collector that failed just then
  // loses nothing.
  function leave(unloading) {
    clearTimeout(timer)
    timer = 0
    // visibilitychange to hidden follows pagehide on an unload; the page
    // stays gone until pageshow brings it back.
    if (unloading) gone = true
    let batch
    while (navigator.onLine !== false && (batch = nextBatch(unconfirmed))) {
      if (!beacon(batch.body)) break
      if (!unloading && !attempt) {
        sent(new Set(batch.keys), 'beacon')
        continue
      }
      log.info('sent ' + batch.keys.length + ' by beacon, kept until a ' +
        'fetch confirms them', batch.keys)
      for (const k of batch.keys) unconfirmed.add(k)
    }
    save()
    // A hidden tab lives on (its timers slowed): what is left goes later.
    if (!unloading && queue.length) schedule(RETRY_MIN_MS)
  }

  // Back from the back/forward cache: the queue is ours again, what the
  // beacons carried included.
  function resume() {
    gone = false
    unconfirmed.clear()
    save()
    flush()
    return claim()
  }

  function clear() {
    queue = []
    save()
  }

  // The oldest queued events that fit in one body, grouped by kind, leaving
  // out those in flight and those in skip.
  function nextBatch(skip) {
    const parts = { events: [], raw_page_views: [] }
    const keys = []
    let bytes = 40
    for (const entry of queue) {
      if (inFlight.has(entry.key) || (skip && skip.has(entry.key))) continue
      if (keys.length && bytes + entry.bytes > MAX_BODY_BYTES) break
      parts[entry.kind].push(JSON.stringify(entry.item))
      keys.push(entry.key)
      bytes += entry.bytes
    }
    if (!keys.length) return null

    const body = Object.keys(parts).filter((k) => parts[k].length)
      .map((k) => '"' + k + '":[' + parts[k].join(',') + ']').join(',')
    return { keys, body: '{' + body + '}' }
  }

  // text/plain keeps the request "simple", so a collector on another origin
  // gets no CORS preflight. sendBeacon returns false when the browser
  // refuses to queue the body. https://w3c.github.io/beacon/#sendbeacon-method
  function beacon(body) {
    try {
      return Boolean(navigator.sendBeacon && navigator.sendBeacon(
        settings.collector, new Blob([body], { type: 'text/plain' })))
    } catch (_) {
      return false // some browsers throw instead of returning false
    }
  }

  return { add, flush, leave, resume, claim, clear }
}

const RAW = 'raw:'
const KINDS = ['events', 'raw_page_views']

// bytes: what the item takes in the stored queue, ["<kind>",<item>], and
// (a little less) in a body.
function makeEntry(kind, item) {
  return {
    kind,
    item,
    bytes: encoder.encode(JSON.stringify(item)).length + kind.length + 6,
    key: (kind === 'raw_page_views' ? RAW : '') + item.id,
  }
}

function parse(text) {
  try {
    return JSON.parse(text)
  } catch (_) {
    return null
  }
}

// Web Locks where the browser has them, else a short lease in localStorage
// (a page that finds another's lease skips this round).
// https://developer.mozilla.org/docs/Web/API/Web_Locks_API
function withLock(work) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request('loopkit_queue', async () => work())
  }
  const mine = randomId() + ':' + (Date.now() + LEASE_MS)
  const held = (getItem(LEASE_KEY) || '').split(':')
  if (held.length === 2 && Number(held[1]) > Date.now()) {
    return Promise.resolve()
  }
  setItem(LEASE_KEY, mine)
  if (getItem(LEASE_KEY) !== mine) return Promise.resolve()
  try {
    work()
  } finally {
    setItem(LEASE_KEY, null)
  }
  return Promise.resolve()
}

// A UUID where the browser makes one (also the raw page view's id), else
// random hex of the same length; ids only need to be unlikely to collide.
export function randomId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.random() * 256
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
