// Logging and the guard that keeps our errors out of the host page. Quiet
// unless the site sets the debug setting; then each event sent and each
// event dropped is one console line, with the reason.

export function createLog(debug) {
  return {
    debug,
    warn(message) {
      if (debug) console.warn('loopkit: ' + message)
    },
    info(message, data) {
      if (debug) console.info('loopkit: ' + message, data)
    },
    // Nothing thrown by loopkit may reach the host page.
    guard(work) {
      try {
        return work()
      } catch (error) {
        if (debug) console.warn('loopkit: internal error: ' + describe(error))
        return undefined
      }
    },
  }
}

export function describe(error) {
  return (error && error.message) || String(error)
}
