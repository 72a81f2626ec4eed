// Settings, from the script tag's data attributes or the options given to
// the module entry, with their defaults; and the part the core reads.

export function settingsFromScript(tag) {
  const data = (tag && tag.dataset) || {}
  return normalize({
    base: new URL('./', (tag && tag.src) || location.href).href,
    collector: data.collector,
    scoring: data.scoring,
    site: data.site,
    discountParams: list(data.discountParams),
    internalHosts: list(data.internalHosts),
    debug: data.debug !== undefined && data.debug !== 'false',
  })
}

// options: the same names as the data attributes, camelCase, with lists as
// arrays; `base` is the folder holding loopkit-core.js and its .wasm.
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
    debug: Boolean(options.debug),
  }
}

function list(text) {
  return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []
}

// The JSON the core's Tracker is built from (core/include/loopkit/tracker.h).
export function trackerConfig(settings) {
  const config = { site: settings.site }
  if (settings.discountParams.length) {
    config.discount_params = settings.discountParams
  }
  if (settings.internalHosts.length) {
    config.internal_hosts = settings.internalHosts
  }
  return JSON.stringify(config)
}
