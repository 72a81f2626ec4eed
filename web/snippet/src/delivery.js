// Getting events to the collector: batches that fit the beacon budget,
// sent with sendBeacon or fetch keepalive.

import { describe } from './log.js'

const FLUSH_DELAY_MS = 1000
// sendBeacon and fetch keepalive share a 64 KiB budget for bodies in
// flight: https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
const MAX_BODY_BYTES = 60 * 1024
const encoder = new TextEncoder()

export function createDelivery(ctx) {
  let timer = 0

  function schedule() {
    if (!timer) timer = setTimeout(() => ctx.log.guard(flush), FLUSH_DELAY_MS)
  }

  function flush() {
    clearTimeout(timer)
    timer = 0
    if (!ctx.tracker) return

    const events = JSON.parse(ctx.tracker.takeEvents())
    for (const event of events) ctx.log.info(event.type, event)
    for (const body of batches(events)) send(body)
  }

  // text/plain keeps the request "simple", so a collector on another origin
  // gets no CORS preflight. sendBeacon survives the page unloading; it
  // returns false when the browser refuses to queue the body.
  // https://w3c.github.io/beacon/#sendbeacon-method
  function send(body) {
    const url = ctx.settings.collector
    try {
      const blob = new Blob([body], { type: 'text/plain' })
      if (navigator.sendBeacon && navigator.sendBeacon(url, blob)) return
    } catch (_) {
      // some browsers throw instead of returning false; fetch is next
    }

    fetch(url, {
      method: 'POST',
      body,
      keepalive: true,
      headers: { 'Content-Type': 'text/plain' },
    }).then((response) => {
      if (!response.ok) ctx.log.warn('dropped a batch: HTTP ' + response.status)
    }, (error) => ctx.log.warn('dropped a batch: ' + describe(error)))
  }

  return { schedule, flush }
}

// Splits events into bodies that each fit the beacon budget.
export function batches(events) {
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
