// The script-tag build (loopkit.js): one async tag, settings in its data
// attributes, no inline script needed.
//
//   <script async src="/loopkit/loopkit.js" data-collector="/collect"
//           data-site="demo" data-scoring="/loopkit/scoring.json"></script>
//
// Calls made before it has loaded wait in a queue when the page (or one of
// its own external files) defines the stub first:
//
//   window.loopkit = window.loopkit || function () {
//     (window.loopkit.q = window.loopkit.q || []).push(arguments)
//   }

import { createLoopkit } from './runtime.js'
import { settingsFromScript } from './settings.js'

if (!(window.loopkit && window.loopkit.version)) { // not included twice
  // document.currentScript is null when this runs from a callback, so fall
  // back to finding our own tag.
  const script = document.currentScript ||
    document.querySelector('script[src*="loopkit.js"]')
  const queued = (window.loopkit && window.loopkit.q) || []
  const loopkit = createLoopkit(settingsFromScript(script))

  window.loopkit = loopkit
  for (const args of queued) loopkit.apply(null, args)
}
