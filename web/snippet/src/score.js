// The live score in the page. The core rescores after every event; this
// only shows the result. Grade, stage and status go on <html> so a site can
// style on them, e.g. [data-loopkit-stage="hot"] .sales-cta { display: block }.

export function createScoreView(ctx, onChange) {
  const listeners = []
  let shown = ''

  function show() {
    const text = ctx.tracker.score()
    if (text === shown) return
    shown = text

    const score = JSON.parse(text)
    const root = document.documentElement
    root.setAttribute('data-loopkit-grade', score.grade)
    root.setAttribute('data-loopkit-stage', score.stage)
    root.setAttribute('data-loopkit-status', score.status)
    onChange()
    for (const listener of listeners.slice()) {
      ctx.log.guard(() => listener(score))
    }
  }

  // A listener hears the current score (at once, or when the core is
  // ready), then every change, so a page can render from it alone.
  function listen(listener) {
    if (typeof listener !== 'function') {
      ctx.log.warn('on score needs a function')
      return
    }
    listeners.push(listener)
    if (shown) ctx.log.guard(() => listener(JSON.parse(shown)))
  }

  function unlisten(listener) {
    const at = listeners.indexOf(listener)
    if (at >= 0) listeners.splice(at, 1)
  }

  return { show, listen, unlisten }
}
