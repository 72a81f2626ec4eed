// The page's core (loopkit-page.wasm, wasm/page_entry.cpp) as the Tracker
// runtime.js uses: the same methods as the full core's Embind Tracker, on
// plain wasm exports and without Emscripten's glue, whose Embind
// registration took most of the core's start-up time in the page.
//
// Strings cross as UTF-8: each call's arguments go back to back into one
// input buffer in the wasm memory, and a text answer comes back as the
// address of {start, size}. The core holds a single tracker (a page needs
// one): a new Tracker replaces the previous one, which then refuses calls.

// module: the compiled loopkit-page.wasm. Resolves with { Tracker }.
export async function instantiateCore(module) {
  const instance = await WebAssembly.instantiate(module, {
    // The core grows its memory itself; views are re-made on use (bytes).
    env: { emscripten_notify_memory_growth() {} },
    // abort() ends here: stop the call that failed, as the glue did.
    wasi_snapshot_preview1: {
      proc_exit(code) {
        throw new Error('the core aborted (' + code + ')')
      },
    },
  })
  const core = instance.exports
  core._initialize() // the C++ static constructors

  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  let heap = new Uint8Array(core.memory.buffer)
  let input = 0 // the input buffer's address
  let room = 0 // and its size
  let live = null // the Tracker that owns the core's tracker

  // Growing the memory replaces its buffer and detaches the old one, so
  // the view is checked after every call that may have grown it.
  function bytes() {
    if (heap.buffer !== core.memory.buffer) {
      heap = new Uint8Array(core.memory.buffer)
    }
    return heap
  }

  // Writes the strings into the input buffer; returns their UTF-8 sizes.
  function put(...strings) {
    let need = 0
    for (const s of strings) {
      // Embind refused anything else too (an SVG link's href, say).
      if (typeof s !== 'string') throw new TypeError('expected a string')
      need += 3 * s.length // a UTF-16 code unit takes at most 3 bytes
    }
    if (need > room) {
      room = Math.max(need, 2 * room, 4096)
      input = core.tracker_input(room)
    }
    const sizes = []
    let at = input
    for (const s of strings) {
      const size = encoder.encodeInto(s, bytes().subarray(at, input + room))
        .written
      sizes.push(size)
      at += size
    }
    return sizes
  }

  function text(span) {
    const [start, size] = new Uint32Array(core.memory.buffer, span, 2)
    return decoder.decode(bytes().subarray(start, start + size))
  }

  function own(tracker) {
    if (live !== tracker) throw new Error('this Tracker was deleted')
  }

  class Tracker {
    // A config that does not validate falls back to the defaults, with the
    // reason in configError(); seedHex holds up to 32 hex digits.
    constructor(configJson, seedHex) {
      const sizes = put(configJson, seedHex)
      live = this
      this.refused = text(core.tracker_create(...sizes))
    }

    configError() {
      own(this)
      return this.refused
    }

    delete() {
      own(this)
      live = null
      core.tracker_delete()
    }

    restore(state) {
      own(this)
      return core.tracker_restore(...put(state)) !== 0
    }

    state() {
      own(this)
      return text(core.tracker_state())
    }

    visitorId() {
      own(this)
      return text(core.tracker_visitor_id())
    }

    sessionId() {
      own(this)
      return text(core.tracker_session_id())
    }

    adoptVisitor(id) {
      own(this)
      return core.tracker_adopt_visitor(...put(id)) !== 0
    }

    pageView(url, referrer, title, nowMs, id) {
      own(this)
      core.tracker_page_view(...put(url, referrer, title, id || ''), nowMs)
    }

    cleanUrl(url) {
      own(this)
      return text(core.tracker_clean_url(...put(url)))
    }

    decorateLink(href, pageUrl, nowMs) {
      own(this)
      return text(core.tracker_decorate_link(...put(href, pageUrl), nowMs))
    }

    record(type, name, propsJson, nowMs) {
      own(this)
      return text(core.tracker_record(...put(type, name, propsJson), nowMs))
    }

    identify(email) {
      own(this)
      core.tracker_identify(...put(email))
    }

    score() {
      own(this)
      return text(core.tracker_score())
    }

    fillValues() {
      own(this)
      return text(core.tracker_fill_values())
    }

    touches() {
      own(this)
      return text(core.tracker_touches())
    }

    takeEvents() {
      own(this)
      return text(core.tracker_take_events())
    }

    setModel(modelJson) {
      own(this)
      return text(core.tracker_set_model(...put(modelJson)))
    }
  }

  return { Tracker }
}
