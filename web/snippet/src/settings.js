// Settings, from the script tag's data attributes or the options given to
// the module entry, with their defaults; and the part the core reads.
// docs/snippet.md lists every one.

const CONSENT_MODES = ['required', 'optout', 'none']

export function settingsFromScript(tag) {
  const data = (tag && tag.dataset) || {}
  return normalize({
    base: new URL('./', (tag && tag.src) || location.href).href,
    collector: data.collector,
    scoring: data.scoring,
    site: data.site,
    discountParams: list(data.discountParams),
    internalHosts: list(data.internalHosts),
    // Absent: the core's list of payment providers; "" turns it off.
    excludedHosts: data.excludedHosts === undefined ? undefined
      : list(data.excludedHosts),
    sessionTimeout: data.sessionTimeout,
    touchHistory: data.touchHistory,
    referrers: data.referrers,
    channels: data.channels,
    cookieDomain: data.cookieDomain,
    cookieDays: data.cookieDays,
    consent: data.consent,
    respectDnt: data.respectDnt !== 'false',
    respectGpc: data.respectGpc !== 'false',
    debug: data.debug !== undefined && data.debug !== 'false',
    ...domCaptureData(data), // DOM capture
  })
}

// options: the same names as the data attributes, camelCase, with lists as
// arrays; `base` is the folder holding loopkit-page.wasm, the core.
export function normalize(options) {
  const base = new URL(options.base || './', location.href).href
  const at = (path) => new URL(path, base).href
  return {
    base,
    collector: at(options.collector || '/collect'),
    scoring: options.scoring ? at(options.scoring) : '',
    site: options.site || location.hostname,
    discountParams: options.discountParams || [],
    internalHosts: options.internalHosts || [],
    excludedHosts: options.excludedHosts, // undefined: the core's list
    sessionTimeout: number(options.sessionTimeout, 30, 'sessionTimeout'),
    touchHistory: number(options.touchHistory, 25, 'touchHistory'),
    referrers: options.referrers ? at(options.referrers) : '',
    channels: options.channels ? at(options.channels) : '',
    // "example.com" shares the visitor id with www. and app.example.com;
    // empty keeps the cookie on this host.
    cookieDomain: String(options.cookieDomain || '').replace(/^\./, ''),
    cookieDays: number(options.cookieDays, 365, 'cookieDays'),
    consent: consentMode(options.consent),
    respectDnt: options.respectDnt !== false,
    respectGpc: options.respectGpc !== false,
    debug: Boolean(options.debug),
    ...domCapture(options), // DOM capture
  }
}

// A mode we do not know is read as the strictest: a typo in a consent
// setting must not start tracking people who were to be asked first.
function consentMode(value) {
  if (value === undefined) return 'optout'
  const mode = String(value).trim().toLowerCase()
  if (CONSENT_MODES.includes(mode)) return mode
  console.warn('loopkit: unknown consent mode "' + value + '", using ' +
    '"required"')
  return 'required'
}

function list(text) {
  return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []
}

function number(value, fallback, name) {
  if (value === undefined) return fallback
  const n = Math.round(Number(value))
  if (n > 0) return n
  console.warn('loopkit: setting ignored: ' + name + ' "' + value +
    '" is no positive number')
  return fallback
}

// The JSON the core's Tracker is built from (core/include/loopkit/tracker.h);
// files: { referrers, channels }, the parsed JSON of those settings' URLs.
export function trackerConfig(settings, files = {}) {
  const config = {
    site: settings.site,
    session_timeout_minutes: settings.sessionTimeout,
    touch_history: settings.touchHistory,
  }
  if (settings.excludedHosts) config.excluded_hosts = settings.excludedHosts
  if (files.referrers) config.referrers = files.referrers
  if (files.channels) config.channels = files.channels
  if (settings.discountParams.length) {
    config.discount_params = settings.discountParams
  }
  if (settings.internalHosts.length) {
    config.internal_hosts = settings.internalHosts
  }
  Object.assign(config, domCaptureConfig(settings)) // DOM capture
  return JSON.stringify(config)
}

// DOM capture: CTAs and links, lead forms, CRM hidden fields, cross-domain
// links (dom.js, forms.js, crm.js, links.js); docs/snippet.md lists each
// setting with its default.
function domCaptureData(data) {
  const flag = (value) => (value === undefined ? undefined : value !== 'false')
  return {
    ctaSelectors: data.ctaSelectors,
    trackOutbound: flag(data.trackOutbound),
    trackMailto: flag(data.trackMailto),
    trackTel: flag(data.trackTel),
    leadForms: data.leadForms,
    leadFields: list(data.leadFields),
    crm: data.crm,
    linkedDomains: list(data.linkedDomains),
    linkParam: data.linkParam,
  }
}

function domCapture(options) {
  const selectors = (value) =>
    (Array.isArray(value) ? value.join(', ') : value || '')
  return {
    ctaSelectors: selectors(options.ctaSelectors),
    // mailto and tel clicks are contact intent and carry no address once
    // the core has them; outbound clicks can be many, so they are opt-in.
    track: {
      outbound: options.trackOutbound === true,
      mailto: options.trackMailto !== false,
      tel: options.trackTel !== false,
    },
    leadForms: selectors(options.leadForms),
    leadFields: options.leadFields || [],
    crm: String(options.crm || 'auto').toLowerCase(),
    linkedDomains: options.linkedDomains || [],
    linkParam: options.linkParam || '_lk',
  }
}

function domCaptureConfig(settings) {
  const config = {}
  if (settings.linkedDomains.length) {
    config.linked_domains = settings.linkedDomains
  }
  if (settings.linkParam !== '_lk') config.link_param = settings.linkParam
  return config
}
