// Page views without the core: before it has arrived, and when WebAssembly
// cannot run at all (a Content Security Policy without 'wasm-unsafe-eval',
// an old browser, a blocked download), the page still counts. The snippet
// sends what the page knows and the collector classifies it with the same
// core (raw_page_views in docs/events.md); campaigns, referrers and
// channels come out the same, and the session is the one the visitor's
// stored events are in, or the day's. Events other than page views need
// the core and are not sent.

import { randomId } from './delivery.js'

// view: { url, referrer, title, time }; visitorId from storage or new.
export function rawPageView(settings, visitorId, view) {
  const raw = {
    id: randomId(),
    visitor_id: visitorId,
    session_id: '',
    site: settings.site,
    url: redactEmails(view.url),
    referrer: redactEmails(view.referrer || ''),
    title: String(view.title || '').replace(ADDRESSES, 'redacted'),
    time: view.time,
  }
  // The collector removes a linked site's parameter, and adopts its id.
  if (settings.linkParam !== '_lk') raw.link_param = settings.linkParam
  return raw
}

// Without the core, which redacts addresses before anything leaves the
// page, this broader rule does: a piece of the URL between / ? # & = that
// decodes (up to three times) to text with an address shape is replaced.
// It redacts more than the core would; the collector redacts again.
const ADDRESS = /[^\s@]\s*@\s*[^\s@.]+\.[^\s@]*[^\s@.]/u
// In running text (a title): the address itself, nothing around it.
const WORD = '[^\\s@<>()[\\]"\',;:]'
const ADDRESSES = new RegExp(WORD + '+@' + WORD + '+\\.' + WORD + '*' +
  WORD.replace('@', '@.'), 'gu')

export function redactEmails(url) {
  return String(url).replace(/[^/?#&=]+/g,
    (piece) => (holdsEmail(piece) ? 'redacted' : piece))
}

function holdsEmail(piece) {
  let text = piece
  for (let round = 0; round < 4; round++) {
    if (ADDRESS.test(text)) return true
    let next
    try {
      next = decodeURIComponent(text.replace(/\+/g, ' '))
    } catch (_) {
      return false
    }
    if (next === text) return false
    text = next
  }
  return false
}
