// The biggest functions of a .wasm and what share of the code each family
// takes: the wasm needs its names, so link a scratch build with
// --profiling-funcs (names kept, code optimised as shipped).
//
//   node bench/page/wasm-funcs.mjs file.wasm [top=40]
import { readFileSync } from 'node:fs'

const bytes = readFileSync(process.argv[2])
const top = Number(process.argv[3] || 40)
let at = 8 // magic and version

function leb() {
  let result = 0
  let shift = 0
  for (;;) {
    const b = bytes[at++]
    result += (b & 0x7f) * 2 ** shift
    shift += 7
    if (b < 0x80) return result
  }
}

function name() {
  const n = leb()
  const s = bytes.toString('utf8', at, at + n)
  at += n
  return s
}

// Function index -> body size; imported functions come first in the index
// space and have no body.
let imported = 0
const sizes = []
const names = new Map()
const sections = []
while (at < bytes.length) {
  const id = bytes[at++]
  const size = leb()
  const end = at + size
  sections.push({ id, size })
  if (id === 2) { // imports
    for (let n = leb(); n > 0; n--) {
      name()
      name()
      const kind = bytes[at++]
      if (kind === 0) { leb(); imported++ } else if (kind === 1) {
        at++
        if (leb() & 1) leb()
        leb()
      } else if (kind === 2) { if (leb() & 1) leb(); leb() } else {
        at += 2
      }
    }
  } else if (id === 10) { // code
    for (let n = leb(); n > 0; n--) {
      const body = leb()
      sizes.push(body)
      at += body
    }
  } else if (id === 0 && name() === 'name') {
    while (at < end) {
      const sub = bytes[at++]
      const subSize = leb()
      const subEnd = at + subSize
      if (sub === 1) {
        for (let n = leb(); n > 0; n--) {
          const index = leb()
          names.set(index, name())
        }
      }
      at = subEnd
    }
  }
  at = end
}

const funcs = sizes.map((size, i) => ({
  size, name: names.get(i + imported) || `f${i + imported}`,
}))
const total = funcs.reduce((sum, f) => sum + f.size, 0)
const data = sections.filter((s) => s.id === 11).reduce((a, s) => a + s.size, 0)
console.log(`${funcs.length} functions, code ${total} B, data ${data} B`)

// Families by where the code comes from.
const families = [
  ['nlohmann::json', /nlohmann/],
  ['embind', /emscripten::|_embind_|embind/],
  ['libc++ (std::)', /std::|__2::/],
  ['loopkit', /loopkit/],
]
const share = new Map(families.map(([label]) => [label, 0]))
let other = 0
for (const f of funcs) {
  const family = families.find(([, re]) => re.test(f.name))
  if (family) share.set(family[0], share.get(family[0]) + f.size)
  else other += f.size
}
share.set('other (libc, malloc, unnamed)', other)
for (const [label, size] of share) {
  console.log(`${label.padEnd(32)} ${String(size).padStart(7)} B ` +
    `${(100 * size / total).toFixed(1).padStart(5)}%`)
}

console.log('')
for (const f of funcs.sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(String(f.size).padStart(7), f.name.slice(0, 150))
}
