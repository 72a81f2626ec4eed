// Whether the visitor lets us track. Three modes (settings.consent):
//   required  nothing is stored or sent until loopkit('consent', 'granted');
//             what happens before waits in memory, and goes on a denial
//   optout    tracking runs until loopkit('consent', 'denied') (the default)
//   none      the site asks elsewhere (or need not); consent calls are
//             ignored
// A denial is remembered (only the denial: no id is kept with it), so a
// visitor who opted out stays out on every later page. Do Not Track and
// Global Privacy Control count as a denial unless the site turns them off;
// an explicit grant from the page (its consent banner) still lifts them.
// https://privacycg.github.io/gpc-spec/

import { forgetVisitor, optedOut, setOptedOut } from './storage.js'

export function createConsent(settings, log) {
  const mode = settings.consent
  const listeners = []
  let state = 'granted'
  let reason = ''

  if (mode !== 'none' && optedOut()) deny('the visitor opted out')
  else if (settings.respectDnt && navigator.doNotTrack === '1') {
    deny('Do Not Track is on')
  } else if (settings.respectGpc && navigator.globalPrivacyControl === true) {
    deny('Global Privacy Control is on')
  } else if (mode === 'required') {
    state = 'pending'
    reason = 'waiting for consent'
  }

  function deny(why) {
    state = 'denied'
    reason = why
  }

  // value: 'granted' or 'denied', from the site's consent banner.
  function set(value) {
    if (mode === 'none') {
      log.warn('consent ignored: data-consent is "none"')
      return
    }
    if (value !== 'granted' && value !== 'denied') {
      log.warn('consent needs "granted" or "denied"')
      return
    }
    const before = state
    setOptedOut(value === 'denied')
    if (value === 'denied') {
      forgetVisitor(settings)
      deny('the visitor opted out')
    } else {
      state = 'granted'
      reason = ''
    }
    if (state !== before) notify()
  }

  // A denial in another tab of the site reaches this one too (the storage
  // event comes to the origin's other pages), so this tab neither sends
  // nor writes back what that one cleared.
  window.addEventListener('storage', () => log.guard(() => {
    if (mode === 'none' || state === 'denied' || !optedOut()) return
    deny('the visitor opted out')
    notify()
  }))

  function notify() {
    for (const listener of listeners) log.guard(() => listener(state))
  }

  return {
    state: () => state, // 'granted', 'pending' or 'denied'
    reason: () => reason, // why nothing is sent, for the debug log
    set,
    onChange: (listener) => listeners.push(listener),
  }
}
