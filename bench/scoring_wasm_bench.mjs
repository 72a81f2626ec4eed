// Scoring speed in WebAssembly under node, the page's side of
// scoring_bench.cpp: one visitor's history of 10, 100 and 1,000 events
// rescored with the demo model through a Scorer (the events decoded once,
// as the tracker holds them), then one CTA click recorded by a Tracker
// whose history is full, and the state the page saves after it.
//
//   node --no-experimental-fetch bench/scoring_wasm_bench.mjs \
//     build/wasm/wasm/loopkit-core.js [--json]
//
// The target: a rescore after an event never costs the page more than a
// millisecond.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const [modulePath] = process.argv.slice(2)
const asJson = process.argv.includes('--json')
if (!modulePath) {
  console.error('usage: scoring_wasm_bench.mjs <loopkit-core.js> [--json]')
  process.exit(2)
}

const { default: createLoopkitCore } = await import(
  pathToFileURL(path.resolve(modulePath)).href)
const wasmFile = path.resolve(path.dirname(modulePath), 'loopkit-core.wasm')
const core = await createLoopkitCore({ wasmBinary: fs.readFileSync(wasmFile) })
const model = fs.readFileSync(fileURLToPath(
  new URL('../web/demo/scoring.json', import.meta.url)), 'utf8')

const t0 = 1764000000000
const minute = 60 * 1000
const PATHS = ['/', '/pricing', '/blog/invoices', '/pricing/teams',
  '/careers', '/signup']

// The same mix and generator as make_history in scoring_bench.cpp.
function makeHistory(n) {
  let seed = 20261204
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed >>> 8
  }
  const touch = {
    campaign: { source: 'newsletter', medium: 'email', name: '', term: '',
      content: '', id: '', click_id: '', click_id_type: '',
      discount_code: '' },
    referrer: { medium: 'direct', source: '', term: '', host: '', url: '' },
    landing_page: '', time: 0, source: '', medium: '', channel: 'Email',
  }
  const events = []
  let time = t0
  for (let i = 0; i < n; i++) {
    time += next() % (90 * minute)
    const pagePath = PATHS[next() % 6]
    const event = { id: 'e' + i, type: 'page_view', time, visitor_id: 'v',
      session_id: 's', site: '',
      page: { url: 'https://shop.test' + pagePath, path: pagePath, title: '',
        referrer: '' },
      touch, props: {} }
    const kind = next() % 100
    if (kind >= 55 && kind < 80) {
      event.type = 'cta_click'
      event.props = { cta: 'hero-trial', text: 'Start' }
    } else if (kind >= 80 && kind < 85) {
      event.type = 'discount_code'
      event.props = { code: 'SPRING20', via: 'url' }
    } else if (kind >= 85 && kind < 88) {
      event.type = 'lead'
      event.props = { form: 'signup', email_domain: 'analytical.test',
        fields: { job_title: 'CTO', company_size: '11-50' } }
    } else if (kind >= 88) {
      event.type = 'track'
      event.name = 'video_play'
      event.props = { seconds: 42 }
    }
    events.push(event)
  }
  return events
}

// Runs work for at least minMs after a warm-up; returns milliseconds per
// call, the median of batches, as Google Benchmark reports a steady state.
function time(work, minMs = 2000) {
  for (let i = 0; i < 50; i++) work()
  const batches = []
  const started = performance.now()
  while (performance.now() - started < minMs) {
    const t = performance.now()
    for (let i = 0; i < 20; i++) work()
    batches.push((performance.now() - t) / 20)
  }
  batches.sort((a, b) => a - b)
  return batches[Math.floor(batches.length / 2)]
}

const results = { rescore: {} }
for (const n of [10, 100, 1000]) {
  const events = makeHistory(n)
  const scorer = new core.Scorer(model)
  const error = scorer.error() || scorer.setEvents(JSON.stringify(events))
  if (error) throw new Error(error)
  const now = events[events.length - 1].time + 60 * minute
  const ms = time(() => scorer.score(now))
  results.rescore[n] = { ms, eventsPerSecond: n / (ms / 1000) }
  scorer.delete()
}

// A tracker as the page holds it: 500 page views of history (its limit).
const tracker = new core.Tracker('{}', '0123456789abcdef0123456789abcdef')
if (tracker.setModel(model)) throw new Error('demo model does not load')
let now = t0
for (let i = 0; i < 500; i++) {
  tracker.pageView('https://shop.test/pricing', '', 'Pricing', now += minute, '')
}
tracker.takeEvents()
let clicks = 0
results.recordMs = time(() => {
  tracker.record('cta_click', '', '{"cta":"hero-trial","text":"Start"}',
    now += 1000)
  if (++clicks % 64 === 0) tracker.takeEvents()
})
results.scoreMs = time(() => tracker.score())
results.stateMs = time(() => tracker.state())
tracker.delete()

if (asJson) {
  console.log(JSON.stringify(results))
} else {
  const f = (n) => Math.round(n).toLocaleString('en-US').padStart(12)
  const ms = (n) => n.toFixed(3).padStart(8) + ' ms'
  console.log('wasm (node), demo model')
  for (const [n, r] of Object.entries(results.rescore)) {
    console.log(`  rescore ${String(n).padStart(4)} events ${ms(r.ms)}` +
      `   ${f(r.eventsPerSecond)} events/s`)
  }
  console.log(`  tracker record, 500 events held  ${ms(results.recordMs)}`)
  console.log(`  tracker score() as JSON          ${ms(results.scoreMs)}`)
  console.log(`  tracker state() to save          ${ms(results.stateMs)}`)
  const worst = results.rescore[1000].ms
  console.log(`  target: a rescore under 1 ms at 1,000 events: ` +
    (worst < 1 ? 'met' : 'MISSED') + ` (${worst.toFixed(3)} ms)`)
}
