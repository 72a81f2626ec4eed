// classifyVisit(pageUrl, referrer) -> {source, medium, channel}: the
// strings go to the core as UTF-8 in the wasm heap and the answers come back
// as sizes into one text (visit_entry.cpp), at a fraction of what Embind's
// conversions cost. Added to loopkit-core.js with --post-js, so it sees the
// module's heap views and exports; plain ES2017, no eval, for browsers and
// node alike.

let visitBuffer = 0
let visitRoom = 0
let utf8Encoder = null
let utf8Decoder = null

// Writes s at heap offset at as UTF-8, with room bytes free there, and
// returns the bytes written. TextEncoder's loop is native code: for the
// few hundred characters of a landing URL it beats one in JS.
function putUtf8 (heap, s, at, room) {
  if (!utf8Encoder) utf8Encoder = new TextEncoder()
  return utf8Encoder.encodeInto(s, heap.subarray(at, at + room)).written
}

// The UTF-8 text of n bytes at heap offset at.
function getUtf8 (heap, at, n) {
  let s = ''
  for (let i = 0; i < n; i++) {
    const c = heap[at + i]
    if (c > 0x7f) {
      if (!utf8Decoder) utf8Decoder = new TextDecoder()
      return s + utf8Decoder.decode(heap.subarray(at + i, at + n))
    }
    s += String.fromCharCode(c)
  }
  return s
}

Module['classifyVisit'] = function (pageUrl, referrer) {
  if (typeof pageUrl !== 'string' || typeof referrer !== 'string') {
    throw new TypeError('classifyVisit takes two strings')
  }
  // A UTF-16 code unit takes at most 3 bytes of UTF-8.
  const room = 3 * (pageUrl.length + referrer.length)
  if (room > visitRoom) {
    visitRoom = Math.max(room, 2 * visitRoom, 4096)
    visitBuffer = _loopkit_visit_buffer(visitRoom)
  }
  // Growing memory replaces the heap views, so each is read after the call
  // that may have grown it.
  let heap = HEAPU8
  const pageSize = putUtf8(heap, pageUrl, visitBuffer, visitRoom)
  const referrerSize = putUtf8(heap, referrer, visitBuffer + pageSize,
    visitRoom - pageSize)
  const sizes = _loopkit_classify_visit(pageSize, referrerSize) >> 2
  heap = HEAPU8
  const words = HEAPU32
  const at = words[sizes]
  const sourceSize = words[sizes + 1]
  const mediumSize = words[sizes + 2]
  return {
    source: getUtf8(heap, at, sourceSize),
    medium: getUtf8(heap, at + sourceSize, mediumSize),
    channel: getUtf8(heap, at + sourceSize + mediumSize, words[sizes + 3])
  }
}
