// The demo page's own script: it uses loopkit only through the public API,
// as a customer's page would.
;(function () {
  'use strict'

  // The stub from loopkit.d.ts: calls made before loopkit.js has loaded
  // wait in a queue. Both scripts load without blocking, in either order.
  window.loopkit = window.loopkit || function () {
    (window.loopkit.q = window.loopkit.q || []).push(arguments)
  }

  const scoreBadges = document.querySelectorAll('[data-demo-score]')

  // "fit 35 (B), engagement 90 (hot), MQL", redrawn on every change.
  function showScore(score) {
    const text = !score ? 'tracking is off'
      : 'fit ' + score.fit + (score.grade ? ' (' + score.grade + ')' : '') +
        ', engagement ' + score.engagement +
        (score.stage ? ' (' + score.stage + ')' : '') +
        (score.status ? ', ' + score.status.toUpperCase() : '')
    for (const badge of scoreBadges) badge.textContent = text
  }

  window.loopkit('on', 'score', showScore)
  // Listeners never hear from a core that did not load; this does.
  window.loopkit('score', (score) => score || showScore(null))

  // The demo has no CRM to post to, so it shows what one would receive.
  // loopkit has already recorded the lead and sent it (a keepalive fetch,
  // which outlives the page) by the time this runs, so a real form could
  // navigate away here instead.
  const form = document.querySelector('[data-demo-signup]')
  const thanks = document.querySelector('[data-demo-thanks]')
  if (!form || !thanks) return

  form.addEventListener('submit', (event) => {
    event.preventDefault()

    const list = thanks.querySelector('[data-demo-submitted]')
    list.replaceChildren()
    for (const [name, value] of new FormData(form)) {
      const term = document.createElement('dt')
      const detail = document.createElement('dd')
      term.textContent = name
      detail.textContent = value || '—'
      list.append(term, detail)
    }
    form.hidden = true
    thanks.hidden = false
  })
})()
