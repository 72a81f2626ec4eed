// The ES module entry (loopkit.mjs), for sites that bundle their scripts:
//
//   import { init } from './loopkit/loopkit.mjs'
//   const loopkit = init({ base: '/loopkit/', collector: '/collect' })
//   loopkit('track', 'demo_requested')
//
// Options carry the script tag's settings in camelCase, lists as arrays;
// `base` is the URL of the folder holding loopkit-page.wasm, the core.
// init() runs once per page: later calls return the same instance, which is
// also window.loopkit so tags and inline handlers reach it.

import { VERSION, createLoopkit } from './runtime.js'
import { normalize } from './settings.js'

export { VERSION }

export function init(options = {}) {
  if (window.loopkit && window.loopkit.version) return window.loopkit

  const queued = (window.loopkit && window.loopkit.q) || []
  const loopkit = createLoopkit(normalize(options))
  window.loopkit = loopkit
  for (const args of queued) loopkit.apply(null, args)
  return loopkit
}
