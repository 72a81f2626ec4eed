// The visitor's state between pages. Storage may be blocked (sandboxed
// frames, privacy modes) or full; the tracker then keeps working in memory
// for the page.

const STATE_KEY = 'loopkit_state'

export function loadState() {
  try {
    return window.localStorage.getItem(STATE_KEY)
  } catch (_) {
    return null
  }
}

// Two open tabs each save their own state, and the last write wins.
export function saveState(tracker) {
  try {
    window.localStorage.setItem(STATE_KEY, tracker.state())
  } catch (_) {
    // blocked or full: in memory only
  }
}
