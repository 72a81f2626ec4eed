// Page views without the core: when WebAssembly cannot run (a Content
// Security Policy without 'wasm-unsafe-eval', an old browser, a blocked
// download) the page still counts. The snippet sends what the page knows
// and the collector classifies it with the same core (raw_page_views in
// docs/events.md); campaigns, referrers and channels come out the same.
// Sessions are the collector's: every raw view of a visitor on one UTC day
// shares one. Events other than page views need the core and are not sent.

import { randomId } from './delivery.js'

// view: { url, referrer, title, time }; visitorId from storage or new.
export function rawPageView(settings, visitorId, view) {
  return {
    id: randomId(),
    visitor_id: visitorId,
    session_id: '',
    site: settings.site,
    url: view.url,
    referrer: view.referrer || '',
    title: view.title || '',
    time: view.time,
  }
}
