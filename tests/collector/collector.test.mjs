// End-to-end checks of `loopkit serve`: the real binary on 127.0.0.1, a
// fresh SQLite file, plain HTTP requests.
//
//   LOOPKIT_BIN=build/native/collector/loopkit node --test tests/collector/
//
// LOOPKIT_SCORING, when set, is passed as --scoring; the exact scores of the
// built-in model are then not checked.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

const bin = process.env.LOOPKIT_BIN
const scoringFile = process.env.LOOPKIT_SCORING
const startTimeoutMs = 10_000
const maxBody = 256 * 1024
const moduleText = 'export const answer = 42\n'

const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "connect-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; " +
  "frame-ancestors 'none'"

let dir // fresh temp folder: database, web and snippet fixtures
let server // the collector under test, from run()

// ---- processes and HTTP ---------------------------------------------------

// A port nobody listens on right now; the collector binds it a moment later.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function run(args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const proc = { child, stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (text) => { proc.stdout += text })
  child.stderr.on('data', (text) => { proc.stderr += text })
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    // A binary that cannot start at all (wrong LOOPKIT_BIN) ends up here.
    child.once('error', (error) => {
      proc.error = error
      resolve({ code: null, signal: null, error })
    })
  })
  return proc
}

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing in ${ms} ms`)),
      ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function serveArgs(port,
  { scoring = scoringFile, db = 'loopkit.db', extra = [] } = {}) {
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port),
    '--db', path.join(dir, db),
    '--web', path.join(dir, 'web'),
    '--snippet', path.join(dir, 'snippet'), ...extra]
  return scoring ? [...args, '--scoring', scoring] : args
}

// One request on its own connection. The path goes out exactly as given:
// fetch() would resolve "/../" away before sending, http.request does not.
function request(method, urlPath, { body, headers = {} } = {}) {
  if (body !== undefined) {
    // What navigator.sendBeacon sends for a string.
    headers = { 'Content-Type': 'text/plain;charset=UTF-8', ...headers }
  }
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1', port: server.port, method, path: urlPath,
      headers, agent: false,
    }
    const req = http.request(options, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        const text = bytes.toString('utf8')
        let json
        try { json = JSON.parse(text) } catch (_) { json = undefined }
        resolve({ status: res.statusCode, headers: res.headers, text, json,
          bytes })
      })
    })
    req.on('error', reject)
    req.setTimeout(5000, () => req.destroy(new Error(`${urlPath} timed out`)))
    req.end(body)
  })
}

const get = (urlPath, headers) => request('GET', urlPath, { headers })
// Node sends no User-Agent unless asked, so post() is a client without one.
const post = (body, headers = {}) => request('POST', '/collect',
  { body: typeof body === 'string' ? body : JSON.stringify(body), headers })

async function waitUntilServing(proc) {
  const deadline = Date.now() + startTimeoutMs
  const url = `http://127.0.0.1:${proc.port}/`
  while (Date.now() < deadline) {
    if (proc.error) throw proc.error
    if (proc.child.exitCode !== null) {
      throw new Error(`loopkit exited with ${proc.child.exitCode}: ` +
        proc.stderr)
    }
    if (proc.stdout.includes(url)) {
      const res = await get('/healthz').catch(() => null)
      if (res?.status === 200) return
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`loopkit did not serve ${url} in time: ${proc.stderr}`)
}

const isRunning = (proc) => proc && !proc.error &&
  proc.child.exitCode === null && proc.child.signalCode === null

async function stop(proc) {
  if (!isRunning(proc)) return
  proc.child.kill('SIGTERM')
  try {
    await withTimeout(proc.exited, 5000, 'SIGTERM')
  } catch (_) {
    proc.child.kill('SIGKILL')
    await proc.exited
  }
}

// ---- events ---------------------------------------------------------------

const baseTime = 1764000000000
let nextId = 0
const uniqueId = () => `e-${process.pid}-${++nextId}`

function touch(source, medium) {
  return {
    campaign: {
      source, medium, name: 'spring', term: '', content: '', id: '',
      click_id: '', click_id_type: '', discount_code: '',
    },
    referrer: {
      medium: 'search', source: 'Google', term: '', host: 'www.google.com',
      url: 'https://www.google.com/',
    },
    landing_page: 'https://shop.test/?utm_source=' + source,
    time: baseTime,
  }
}

// An event in its JSON form; `path` sets the page, anything else overrides.
function makeEvent({ path: pagePath = '/', ...fields }) {
  return {
    id: uniqueId(),
    type: 'page_view',
    time: baseTime,
    visitor_id: 'visitor-a',
    session_id: 'session-a',
    site: 'test',
    page: {
      url: 'https://shop.test' + pagePath, path: pagePath, title: 'Shop',
      referrer: '',
    },
    touch: touch('newsletter', 'email'),
    props: {},
    ...fields,
  }
}

async function storedEvents() {
  const res = await get('/api/events?limit=1000')
  assert.equal(res.status, 200)
  return res.json.events
}

async function storedIds() {
  return new Set((await storedEvents()).map((e) => e.id))
}

// Names of the files in folder whose bytes hold needle. SQLite in WAL mode
// keeps fresh rows in loopkit.db-wal, so every file is read.
async function filesHolding(folder, needle) {
  const found = []
  for (const name of await fs.readdir(folder)) {
    const file = path.join(folder, name)
    if (!(await fs.stat(file)).isFile()) continue
    const bytes = await fs.readFile(file)
    if (bytes.includes(Buffer.from(needle))) found.push(name)
  }
  return found
}

// ---- setup ----------------------------------------------------------------

before(async () => {
  assert.ok(bin, 'set LOOPKIT_BIN to the built loopkit binary')
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'loopkit-collector-'))
  const files = {
    'web/index.html': '<!doctype html><title>home</title>',
    'web/dashboard.html': '<!doctype html><title>dashboard</title>',
    'web/.env': 'hidden-file',
    'secret.txt': 'outside-the-web-folder',
    'snippet/loopkit.js': 'export {}\n',
    'snippet/loopkit-page.wasm': Buffer.from('\0asm\x01\0\0\0', 'latin1'),
    // Copies compressed at build time: a fresh one, and a stale one that
    // predates its file (its mtime is set below).
    'snippet/loopkit.mjs': moduleText,
    'snippet/loopkit.mjs.br': zlib.brotliCompressSync(moduleText),
    'snippet/loopkit.js.gz': zlib.gzipSync('stale copy\n'),
  }
  await fs.mkdir(path.join(dir, 'web'))
  await fs.mkdir(path.join(dir, 'snippet'))
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), content)
  }
  const longAgo = new Date(Date.now() - 86_400_000)
  await fs.utimes(path.join(dir, 'snippet/loopkit.js.gz'), longAgo, longAgo)
  // A link inside the served folder that leads out of it.
  await fs.symlink(path.join(dir, 'secret.txt'),
    path.join(dir, 'web', 'link.txt'))

  const port = await freePort()
  server = run(serveArgs(port))
  server.port = port
  await waitUntilServing(server)
})

after(async () => {
  await stop(server)
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

// Should the runner itself die, the collector must not outlive it.
process.on('exit', () => {
  if (isRunning(server)) server.child.kill('SIGKILL')
})

// ---- tests ----------------------------------------------------------------

test('it prints one line with the URL it serves', () => {
  const lines = server.stdout.split('\n').filter(Boolean)

  assert.deepEqual(lines,
    [`loopkit: serving http://127.0.0.1:${server.port}/`])
})

test('a valid batch is stored and listed newest first', async () => {
  const older = makeEvent({ time: baseTime + 1000, path: '/pricing' })
  const newest = makeEvent({
    time: baseTime + 3000, type: 'cta_click', props: { label: 'Buy' },
  })
  const tieFirst = makeEvent({ time: baseTime + 2000 })
  const tieSecond = makeEvent({
    time: baseTime + 2000, type: 'track', name: 'video_play',
  })
  const sentAt = Date.now()

  const res = await post({ events: [older, newest, tieFirst, tieSecond] })

  assert.equal(res.status, 200)
  assert.deepEqual(res.json, { ok: true, stored: 4, duplicates: 0 })
  assert.equal(res.headers['access-control-allow-origin'], '*')
  const ours = new Set([older.id, newest.id, tieFirst.id, tieSecond.id])
  const listed = (await storedEvents()).filter((e) => ours.has(e.id))
  // At the same time, the event received later comes first.
  assert.deepEqual(listed.map((e) => e.id),
    [newest.id, tieSecond.id, tieFirst.id, older.id])
  const click = listed[0]
  assert.equal(click.type, 'cta_click')
  assert.equal(click.time, baseTime + 3000)
  assert.equal(click.visitor_id, 'visitor-a')
  assert.equal(click.session_id, 'session-a')
  assert.equal(click.site, 'test')
  assert.deepEqual(click.page, newest.page)
  assert.deepEqual(click.touch, newest.touch)
  assert.deepEqual(click.props, { label: 'Buy' })
  assert.equal(listed[1].name, 'video_play')
  assert.equal(typeof click.received_at, 'number')
  assert.ok(Math.abs(click.received_at - sentAt) < 60_000,
    `received_at ${click.received_at}, sent at ${sentAt}`)
})

test('posting the same batch again stores nothing twice', async () => {
  const batch = [makeEvent({}), makeEvent({ type: 'cta_click' })]
  const first = await post(batch) // a bare array is a batch too

  const again = await post(batch)

  assert.deepEqual(first.json, { ok: true, stored: 2, duplicates: 0 })
  assert.equal(again.status, 200)
  assert.deepEqual(again.json, { ok: true, stored: 0, duplicates: 2 })
  const copies = (await storedEvents()).filter((e) => e.id === batch[0].id)
  assert.equal(copies.length, 1)
})

test('retries racing each other store every event once', async () => {
  const batch = [makeEvent({}), makeEvent({}), makeEvent({})]

  const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post(batch)))

  assert.ok(answers.every((a) => a.status === 200))
  const stored = answers.reduce((sum, a) => sum + a.json.stored, 0)
  const duplicates = answers.reduce((sum, a) => sum + a.json.duplicates, 0)
  assert.equal(stored, 3)
  assert.equal(duplicates, 12)
})

test('malformed JSON is refused with a message, nothing stored', async () => {
  const countBefore = (await storedEvents()).length

  const res = await post('{"events": [{"id": "half-')

  assert.equal(res.status, 400)
  // Exactly one value: a doubled header makes browsers hide the answer.
  assert.equal(res.headers['access-control-allow-origin'], '*')
  assert.equal(res.json.ok, false)
  assert.match(res.json.error, /JSON/)
  assert.equal(typeof res.json.path, 'string')
  assert.equal((await storedEvents()).length, countBefore)
})

test('an unknown event type rejects the whole batch by path', async () => {
  const valid = makeEvent({})
  const bogus = makeEvent({ type: 'bogus' })
  const alsoValid = makeEvent({})

  const res = await post({ events: [valid, bogus, alsoValid] })

  assert.equal(res.status, 400)
  assert.equal(res.json.ok, false)
  assert.equal(res.json.path, '/events/1/type')
  assert.match(res.json.error, /bogus/)
  const ids = await storedIds()
  assert.ok(!ids.has(valid.id), 'the event before the bad one was stored')
  assert.ok(!ids.has(alsoValid.id), 'the event after the bad one was stored')
})

test('a body over 256 KiB is refused with 413, nothing stored', async () => {
  // Valid JSON padded with spaces, so its size is the only fault.
  const event = makeEvent({})
  const json = JSON.stringify({ events: [event] })
  const body = json + ' '.repeat(maxBody + 1 - json.length)

  const res = await post(body)

  assert.equal(res.status, 413)
  assert.equal(res.json.ok, false)
  assert.equal(typeof res.json.error, 'string')
  assert.equal(res.headers['access-control-allow-origin'], '*')
  assert.ok(!(await storedIds()).has(event.id))
})

test('a body of exactly 256 KiB is still accepted', async () => {
  const json = JSON.stringify({ events: [makeEvent({})] })

  const res = await post(json + ' '.repeat(maxBody - json.length))

  assert.equal(res.status, 200)
  assert.equal(res.json.stored, 1)
})

test('a lead is listed with the score the server computes', async () => {
  const emailHash =
    createHash('sha256').update('ada@example.com').digest('hex')
  const fields = { name: 'Ada', company: 'Analytical', job_title: 'CTO' }
  const visitor = { visitor_id: 'visitor-lead' }
  const first = makeEvent({
    ...visitor, time: baseTime + 10, path: '/pricing',
    touch: touch('google', 'cpc'),
  })
  const clicks = [11, 12].map((t) => makeEvent({
    ...visitor, time: baseTime + t, type: 'cta_click',
    touch: touch('google', 'cpc'),
  }))
  const lead = makeEvent({
    ...visitor, time: baseTime + 20, type: 'lead', path: '/signup',
    touch: touch('linkedin', 'social'),
    // The page's own number is wrong on purpose: it must not be trusted.
    props: {
      form: 'signup', email_sha256: emailHash, fields, score: 999,
      grade: 'A',
    },
  })
  const events = [first, ...clicks, lead]
  const weaker = makeEvent({
    visitor_id: 'visitor-weaker', type: 'lead', time: baseTime + 30,
    props: { form: 'newsletter' },
  })
  assert.equal((await post([...events, weaker])).status, 200)

  const res = await get('/api/leads')

  assert.equal(res.status, 200)
  const leads = res.json.leads
  const ids = leads.map((l) => l.visitor_id)
  assert.ok(!ids.includes('visitor-a'), 'a visitor without a lead is listed')
  const entry = leads.find((l) => l.visitor_id === 'visitor-lead')
  assert.ok(entry, 'the lead is missing')
  assert.equal(entry.email_sha256, emailHash)
  assert.equal(entry.form, 'signup')
  assert.deepEqual(entry.fields, fields)
  assert.equal(entry.lead_time, baseTime + 20)
  assert.equal(entry.page_score, 999)
  assert.equal(entry.events, 4)
  assert.deepEqual(entry.first_touch, first.touch)
  assert.deepEqual(entry.last_touch, lead.touch)
  assert.notEqual(entry.score.points, 999)
  if (!scoringFile) {
    // The built-in model, which does not decay (the events are from 2025):
    // fit: a CTO 20, grade B; engagement: pricing 15, two clicks 2 x 5, a
    // lead form 30 = 55, warm; B and warm make an MQL.
    const because = (rule, score, description, points, count, events) =>
      ({ rule, score, description, points, before_decay: points, count,
        events })
    assert.deepEqual(entry.score, {
      points: 75, fit: 20, engagement: 55, grade: 'B', stage: 'warm',
      status: 'mql',
      reasons: [
        because('senior_title', 'fit', 'Decision-maker job title', 20, 1,
          [lead.id]),
        because('visited_pricing', 'engagement', 'Viewed the pricing page',
          15, 1, [first.id]),
        because('clicked_cta', 'engagement', 'Clicked a call to action', 10,
          2, [clicks[1].id, clicks[0].id]),
        because('submitted_form', 'engagement', 'Submitted a lead form', 30,
          1, [lead.id]),
      ],
    })
  }
  const points = leads.map((l) => l.score.points)
  assert.deepEqual(points, [...points].sort((a, b) => b - a))
  assert.ok(ids.indexOf('visitor-lead') < ids.indexOf('visitor-weaker'))
})

test('a raw email sent in props.email never reaches the disk', async () => {
  const raw = `raw-${process.pid}@leak.example`
  const lead = makeEvent({
    visitor_id: 'visitor-raw', type: 'lead',
    props: { form: 'signup', email: raw },
  })

  const res = await post([lead])

  // The core drops props.email while decoding and keeps the rest.
  assert.equal(res.status, 200)
  const stored = (await storedEvents()).find((e) => e.id === lead.id)
  assert.ok(stored, 'the lead was not stored')
  assert.equal(stored.props.email, undefined)
  assert.deepEqual(await filesHolding(dir, raw), [])
})

test('a raw email inside props.fields never reaches the disk', async () => {
  const raw = `field-${process.pid}@leak.example`
  const lead = makeEvent({
    visitor_id: 'visitor-raw-field', type: 'lead',
    props: { form: 'signup', fields: { email: raw, name: 'Ann' } },
  })

  const res = await post([lead])

  assert.equal(res.status, 200)
  const stored = (await storedEvents()).find((e) => e.id === lead.id)
  assert.deepEqual(stored.props.fields, { name: 'Ann' })
  assert.deepEqual(await filesHolding(dir, raw), [])
})

test('paths that climb out of the served folders are refused', async () => {
  const attempts = [
    '/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/../secret.txt',
    '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt',
    '/loopkit/../../secret.txt', '/loopkit/%2e%2e/%2e%2e/secret.txt',
    '/.env', '/link.txt',
  ]

  for (const attempt of attempts) {
    const res = await get(attempt)

    assert.notEqual(res.status, 200, attempt)
    assert.equal(res.json?.ok, false, attempt)
    for (const leak of ['outside-the-web-folder', 'hidden-file', 'root:']) {
      assert.ok(!res.text.includes(leak), `${attempt} served ${leak}`)
    }
  }
})

test('pages carry the strict content security policy', async () => {
  for (const page of ['/', '/dashboard', '/dashboard.html']) {
    const res = await get(page)

    assert.equal(res.status, 200, page)
    assert.match(res.headers['content-type'], /^text\/html/, page)
    assert.equal(res.headers['content-security-policy'], csp, page)
    assert.equal(res.headers['x-content-type-options'], 'nosniff', page)
  }
})

test('a copy compressed at build time is sent as it is', async () => {
  const res = await get('/loopkit/loopkit.mjs',
    { 'Accept-Encoding': 'gzip, deflate, br' })

  assert.equal(res.status, 200)
  assert.equal(res.headers['content-encoding'], 'br')
  assert.match(res.headers['content-type'], /^application\/javascript/)
  assert.equal(res.headers.vary, 'Accept-Encoding')
  assert.deepEqual(res.bytes, zlib.brotliCompressSync(moduleText))
  assert.equal(zlib.brotliDecompressSync(res.bytes).toString(), moduleText)
})

test('a compressed copy older than its file is not sent', async () => {
  const res = await get('/loopkit/loopkit.js', { 'Accept-Encoding': 'gzip' })

  assert.equal(res.status, 200)
  const body = res.headers['content-encoding'] === 'gzip'
    ? zlib.gunzipSync(res.bytes).toString() : res.text
  assert.equal(body, 'export {}\n')
})

test('an unchanged snippet file is revalidated with 304', async () => {
  const first = await get('/loopkit/loopkit-page.wasm')
  const tag = first.headers.etag
  const again = await get('/loopkit/loopkit-page.wasm',
    { 'If-None-Match': tag })

  assert.match(tag, /^"[0-9a-f]+-[0-9a-f]+"$/)
  assert.equal(first.headers['cache-control'], 'no-cache')
  assert.equal(again.status, 304)
  assert.equal(again.bytes.length, 0)
})

test('snippet files and the scoring model have their types', async () => {
  const script = await get('/loopkit/loopkit.js')
  const wasm = await get('/loopkit/loopkit-page.wasm')
  const model = await get('/loopkit/scoring.json')
  const missing = await get('/loopkit/nope.js')

  assert.equal(script.status, 200)
  assert.match(script.headers['content-type'], /^text\/javascript/)
  assert.equal(wasm.status, 200)
  assert.equal(wasm.headers['content-type'], 'application/wasm')
  assert.equal(model.status, 200)
  assert.match(model.headers['content-type'], /^application\/json/)
  assert.ok([1, 2].includes(model.json.version))
  if (scoringFile) {
    assert.equal(model.text, await fs.readFile(scoringFile, 'utf8'))
  }
  assert.equal(missing.status, 404)
  assert.equal(missing.json.ok, false)
})

test('the events limit is checked and unknown API paths are JSON', async () => {
  const notNumber = await get('/api/events?limit=ten')
  const zero = await get('/api/events?limit=0')
  const huge = await get('/api/events?limit=999999999999999999999')
  const unknown = await get('/api/nothing')

  assert.equal(notNumber.status, 400)
  assert.equal(notNumber.json.ok, false)
  assert.equal(zero.status, 200)
  assert.equal(zero.json.events.length, 1)
  assert.equal(huge.status, 200)
  assert.ok(huge.json.events.length > 1)
  assert.equal(unknown.status, 404)
  assert.deepEqual(Object.keys(unknown.json).sort(), ['error', 'ok'])
})

test('a cross-origin preflight for /collect is allowed', async () => {
  const res = await request('OPTIONS', '/collect', {
    headers: {
      Origin: 'https://shop.test', 'Access-Control-Request-Method': 'POST',
    },
  })

  assert.equal(res.status, 204)
  assert.equal(res.headers['access-control-allow-origin'], '*')
  assert.match(res.headers['access-control-allow-methods'], /POST/)
})

// ---- bots -----------------------------------------------------------------

const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; ' +
  '+http://www.google.com/bot.html)'
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) ' +
  'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

async function summary() {
  const res = await get('/api/summary')
  assert.equal(res.status, 200)
  return res.json
}

// A visitor's page view then lead, as a browser would send them.
function visitWithLead(visitor) {
  return [
    makeEvent({ visitor_id: visitor, session_id: visitor + '-s' }),
    makeEvent({
      visitor_id: visitor, session_id: visitor + '-s', type: 'lead',
      time: baseTime + 5, props: { form: 'signup' },
    }),
  ]
}

test('a Googlebot batch is stored flagged and counted nowhere', async () => {
  const before = await summary()
  const batch = visitWithLead('visitor-googlebot')

  const res = await post(batch, { 'User-Agent': googlebot })

  assert.equal(res.status, 200)
  assert.deepEqual(res.json, { ok: true, stored: 2, duplicates: 0 })
  const after = await summary()
  assert.equal(after.bots.events, before.bots.events + 2)
  assert.equal(after.bots.visitors, before.bots.visitors + 1)
  assert.equal(after.events, before.events)
  assert.equal(after.visitors, before.visitors)
  assert.equal(after.sessions, before.sessions)
  assert.equal(after.leads, before.leads)
  assert.deepEqual(after.channels, before.channels)
  const ids = batch.map((e) => e.id)
  assert.ok(!(await storedIds()).has(ids[0]), 'listed among people')
  const leads = (await get('/api/leads')).json.leads
  assert.ok(!leads.some((l) => l.visitor_id === 'visitor-googlebot'))
  const onlyBots = await get('/api/events?bots=only&limit=1000')
  const stored = onlyBots.json.events.filter((e) => ids.includes(e.id))
  assert.equal(stored.length, 2)
  assert.ok(stored.every((e) => e.bot === true))
  const all = (await get('/api/events?bots=include&limit=1000')).json.events
  assert.equal(all.filter((e) => ids.includes(e.id)).length, 2)
})

test('a Chrome batch is counted as a person\'s', async () => {
  const before = await summary()
  const batch = visitWithLead('visitor-chrome')

  const res = await post(batch, { 'User-Agent': chrome })

  assert.equal(res.status, 200)
  assert.equal(res.json.stored, 2)
  const after = await summary()
  assert.equal(after.events, before.events + 2)
  assert.equal(after.page_views, before.page_views + 1)
  assert.equal(after.visitors, before.visitors + 1)
  assert.equal(after.sessions, before.sessions + 1)
  assert.equal(after.leads, before.leads + 1)
  assert.equal(after.bots.events, before.bots.events)
  const listed = (await storedEvents()).filter((e) => e.id === batch[1].id)
  assert.equal(listed.length, 1)
  assert.equal(listed[0].bot, undefined)
  const leads = (await get('/api/leads')).json.leads
  assert.ok(leads.some((l) => l.visitor_id === 'visitor-chrome'))
})

test('a request without a User-Agent header is not a bot\'s', async () => {
  const before = await summary()
  const event = makeEvent({ visitor_id: 'visitor-no-agent' })

  const res = await post([event])

  assert.equal(res.status, 200)
  assert.ok((await storedIds()).has(event.id))
  const after = await summary()
  assert.equal(after.events, before.events + 1)
  assert.equal(after.bots.events, before.bots.events)
})

test('the summary counts sessions by the channel they began with',
  async () => {
    const before = await summary()
    const sessions = (after, name) =>
      after.channels.find((c) => c.channel === name)?.sessions ?? 0
    const visit = { visitor_id: 'visitor-channels', session_id: 'sc-1' }
    const email = { ...touch('news', 'email'), channel: 'Email',
      source: 'news', medium: 'email' }
    const paid = { ...touch('google', 'cpc'), channel: 'Paid Search',
      source: 'google', medium: 'cpc' }

    await post([
      makeEvent({ ...visit, touch: email }),
      makeEvent({ ...visit, time: baseTime + 9, touch: paid }),
      makeEvent({ ...visit, session_id: 'sc-2', touch: paid }),
    ])

    const after = await summary()
    assert.equal(sessions(after, 'Email'), sessions(before, 'Email') + 1)
    assert.equal(sessions(after, 'Paid Search'),
      sessions(before, 'Paid Search') + 1)
    const counts = after.channels.map((c) => c.sessions)
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a))
  })

test('an unknown bots filter is refused', async () => {
  const res = await get('/api/events?bots=maybe')

  assert.equal(res.status, 400)
  assert.match(res.json.error, /exclude, include or only/)
})

// ---- raw page views -------------------------------------------------------

function rawView(fields = {}) {
  return {
    id: uniqueId(), visitor_id: 'visitor-raw-view', session_id: 'raw-s1',
    site: 'test', url: 'https://shop.test/', referrer: '', title: 'Shop',
    time: baseTime, ...fields,
  }
}

async function storedById(ids) {
  const events = await get('/api/events?bots=include&limit=1000')
  const byId = new Map(events.json.events.map((e) => [e.id, e]))
  return ids.map((id) => byId.get(id))
}

test('raw page views are classified as the page would', async () => {
  const landing = rawView({
    url: 'https://shop.test/pricing?utm_source=news&utm_medium=email' +
      '&utm_campaign=spring&email=ann%40x.test',
    referrer: 'https://www.google.com/search?q=invoices',
    title: '  Pricing  ',
  })
  const next = rawView({
    url: 'https://shop.test/signup', referrer: 'https://shop.test/pricing',
    time: baseTime + 1000,
  })

  const res = await post({ raw_page_views: [landing, next] })

  assert.equal(res.status, 200)
  assert.deepEqual(res.json, { ok: true, stored: 2, duplicates: 0 })
  const [first, second] = await storedById([landing.id, next.id])
  assert.equal(first.type, 'page_view')
  assert.equal(first.visitor_id, 'visitor-raw-view')
  assert.equal(first.session_id, 'raw-s1')
  assert.deepEqual(first.page, {
    url: 'https://shop.test/pricing?utm_source=news&utm_medium=email' +
      '&utm_campaign=spring&email=redacted',
    path: '/pricing', title: 'Pricing',
    referrer: 'https://www.google.com/search?q=invoices',
  })
  assert.equal(first.touch.campaign.source, 'news')
  assert.equal(first.touch.campaign.name, 'spring')
  assert.equal(first.touch.referrer.medium, 'search')
  assert.equal(first.touch.referrer.term, 'invoices')
  assert.equal(first.touch.landing_page, first.page.url)
  assert.equal(first.touch.source, 'news')
  assert.equal(first.touch.medium, 'email')
  assert.equal(first.touch.channel, 'Email')
  // The next page of the session keeps the touch that began it.
  assert.equal(second.page.path, '/signup')
  assert.deepEqual(second.touch, first.touch)
  assert.deepEqual(await filesHolding(dir, 'ann@x.test'), [])
})

test('a raw view joins the touch of its session stored before', async () => {
  const landing = rawView({
    session_id: 'raw-s2', url: 'https://shop.test/?gclid=abc',
  })
  await post({ raw_page_views: [landing] })
  const later = rawView({
    session_id: 'raw-s2', url: 'https://shop.test/docs',
    referrer: 'https://shop.test/', time: baseTime + 60_000,
  })
  const fromSocial = rawView({
    session_id: 'raw-s2', url: 'https://shop.test/docs',
    referrer: 'https://www.linkedin.com/', time: baseTime + 120_000,
  })

  const res = await post({ raw_page_views: [later, fromSocial] })

  assert.equal(res.status, 200)
  const [first, second, third] =
    await storedById([landing.id, later.id, fromSocial.id])
  assert.equal(first.touch.channel, 'Paid Search')
  assert.deepEqual(second.touch, first.touch)
  assert.equal(third.touch.channel, 'Organic Social')
})

test('a raw view without a session id gets the visitor\'s day', async () => {
  const time = 1764028800000 + 3_600_000 // 2025-11-25 01:00 UTC
  const view = rawView({ session_id: '', visitor_id: 'visitor-day', time })
  const day = Math.floor(time / 86_400_000)
  const expected = createHash('sha256').update(`visitor-day:${day}`)
    .digest('hex').slice(0, 32)

  const res = await post({ raw_page_views: [view] })

  assert.equal(res.status, 200)
  const [stored] = await storedById([view.id])
  assert.equal(stored.session_id, expected)
})

test('a raw view without a session id joins the session the page ran',
  async () => {
    // The core sent the landing page's view (an Email session); the next
    // page was left before its .wasm arrived, so its view went out raw.
    const landing = makeEvent({
      visitor_id: 'visitor-left-early', session_id: 'core-session',
      time: baseTime,
    })
    await post({ events: [landing] })
    const left = rawView({
      visitor_id: 'visitor-left-early', session_id: '',
      url: 'https://shop.test/pricing', referrer: 'https://shop.test/',
      time: baseTime + 60_000,
    })
    // In the same body, the same visitor 31 minutes later: a new session,
    // the day's, which the next raw view of that body joins.
    const later = rawView({
      visitor_id: 'visitor-left-early', session_id: '',
      url: 'https://shop.test/?utm_source=partner&utm_medium=referral',
      time: baseTime + 60_000 + 31 * 60_000,
    })
    const after = rawView({
      visitor_id: 'visitor-left-early', session_id: '',
      url: 'https://shop.test/docs', referrer: 'https://shop.test/',
      time: baseTime + 62_000 + 31 * 60_000,
    })

    const res = await post({ raw_page_views: [left, later, after] })

    assert.equal(res.status, 200)
    const [joined, fresh, next] =
      await storedById([left.id, later.id, after.id])
    assert.equal(joined.session_id, 'core-session')
    assert.deepEqual(joined.touch, landing.touch)
    assert.notEqual(fresh.session_id, 'core-session')
    assert.equal(fresh.touch.campaign.source, 'partner')
    assert.equal(next.session_id, fresh.session_id)
    assert.deepEqual(next.touch, fresh.touch)
  })

test('events and raw views travel in one body; retries store once',
  async () => {
    const event = makeEvent({ type: 'cta_click' })
    const view = rawView()
    const body = { events: [event], raw_page_views: [view] }

    const first = await post(body)
    const again = await post(body)

    assert.deepEqual(first.json, { ok: true, stored: 2, duplicates: 0 })
    assert.deepEqual(again.json, { ok: true, stored: 0, duplicates: 2 })
  })

test('the page\'s own view replaces the raw view sent under its id',
  async () => {
    // The page sent its view raw at once, then its core took the view in
    // under the same id, with the session it keeps.
    const view = rawView({
      visitor_id: 'visitor-replaced', session_id: '',
      url: 'https://shop.test/?utm_source=news&utm_medium=email',
    })
    const own = makeEvent({
      id: view.id, visitor_id: 'visitor-replaced', session_id: 'core-s9',
      time: view.time, touch: touch('news', 'email'),
    })

    const first = await post({ raw_page_views: [view] })
    const second = await post({ events: [own] })
    const again = await post({ events: [own], raw_page_views: [view] })

    assert.deepEqual(first.json, { ok: true, stored: 1, duplicates: 0 })
    assert.deepEqual(second.json, { ok: true, stored: 1, duplicates: 0 })
    assert.deepEqual(again.json, { ok: true, stored: 0, duplicates: 2 })
    const copies = (await storedEvents()).filter((e) => e.id === view.id)
    assert.equal(copies.length, 1)
    assert.equal(copies[0].session_id, 'core-s9')
    assert.equal(copies[0].page.path, own.page.path)
  })

test('a raw view never replaces an event, nor does an event other than ' +
  'the page view of its site replace a raw view',
  async () => {
    const own = makeEvent({ visitor_id: 'visitor-late-raw',
      session_id: 'core-s10' })
    const view = rawView({ id: own.id, visitor_id: 'visitor-late-raw',
      session_id: '', url: 'https://shop.test/elsewhere' })

    await post({ events: [own] })
    const late = await post({ raw_page_views: [view] })
    const both = rawView({ visitor_id: 'visitor-late-raw', session_id: '' })
    const together = await post({
      raw_page_views: [both],
      events: [makeEvent({ id: both.id, visitor_id: 'visitor-late-raw',
        session_id: 'core-s11' })],
    })

    // Only a page view of the same site replaces a raw view.
    const target = rawView({ visitor_id: 'visitor-kept-raw', session_id: '' })
    await post({ raw_page_views: [target] })
    const intruders = await post({ events: [
      makeEvent({ id: target.id, type: 'track', name: 'other' }),
    ] })
    const elsewhere = await post({ events: [
      makeEvent({ id: target.id, site: 'another-site' }),
    ] })

    assert.deepEqual(late.json, { ok: true, stored: 0, duplicates: 1 })
    assert.deepEqual(intruders.json, { ok: true, stored: 0, duplicates: 1 })
    assert.deepEqual(elsewhere.json, { ok: true, stored: 0, duplicates: 1 })
    const [untouched] = await storedById([target.id])
    assert.equal(untouched.type, 'page_view')
    assert.equal(untouched.visitor_id, 'visitor-kept-raw')
    assert.equal(untouched.site, 'test')
    assert.deepEqual(together.json, { ok: true, stored: 1, duplicates: 1 })
    const [kept, keptToo] = await storedById([own.id, both.id])
    assert.equal(kept.session_id, 'core-s10')
    assert.equal(kept.page.url, own.page.url)
    assert.equal(keptToo.session_id, 'core-s11')
  })

test('a bad raw view is reported by path and costs nothing else',
  async () => {
    const event = makeEvent({})
    const good = rawView()
    const noUrl = rawView()
    delete noUrl.url
    const typo = { ...rawView(), titel: 'x' }
    const alsoGood = rawView()

    const res = await post({
      events: [event], raw_page_views: [good, noUrl, typo, alsoGood],
    })

    assert.equal(res.status, 200)
    assert.equal(res.json.ok, true)
    assert.equal(res.json.stored, 3)
    assert.deepEqual(res.json.errors, [
      { path: '/raw_page_views/1/url', error: 'is required' },
      { path: '/raw_page_views/2/titel', error: 'unknown field' },
    ])
    const ids = await storedIds()
    for (const id of [event.id, good.id, alsoGood.id]) assert.ok(ids.has(id))
    assert.ok(!ids.has(noUrl.id))
  })

test('a body of nothing but bad raw views is refused', async () => {
  const res = await post({
    raw_page_views: [rawView({ time: -5 }), rawView({ visitor_id: 'a b' })],
  })

  assert.equal(res.status, 400)
  assert.equal(res.json.ok, false)
  assert.equal(res.json.path, '/raw_page_views/0/time')
  assert.equal(res.json.errors.length, 2)
  assert.equal(res.json.errors[1].path, '/raw_page_views/1/visitor_id')
})

test('a bad event beside raw views still refuses the whole body',
  async () => {
    const view = rawView()

    const res = await post({
      events: [makeEvent({ type: 'bogus' })], raw_page_views: [view],
    })

    assert.equal(res.status, 400)
    assert.equal(res.json.path, '/events/0/type')
    assert.ok(!(await storedIds()).has(view.id))
  })

test('more than 500 raw views are refused', async () => {
  const views = Array.from({ length: 501 }, () => ({}))

  const res = await post({ raw_page_views: views })

  assert.equal(res.status, 400)
  assert.equal(res.json.path, '/raw_page_views')
})

test('raw views from a bot are stored apart too', async () => {
  const view = rawView({ visitor_id: 'visitor-raw-bot' })

  const res = await post({ raw_page_views: [view] },
    { 'User-Agent': googlebot })

  assert.equal(res.status, 200)
  assert.ok(!(await storedIds()).has(view.id))
  const [stored] = await storedById([view.id])
  assert.equal(stored.bot, true)
})

test('the server still answers after all the bad requests', async () => {
  const res = await get('/healthz')

  assert.equal(res.status, 200)
  assert.deepEqual(res.json, { ok: true })
})

test('connections that send nothing do not hold up other visitors',
  async () => {
    // A worker waits on a silent connection until its read timeout; a
    // handful of them (or of stalled mobile clients) must not take every
    // worker. 40 is five times cpp-httplib's default pool.
    const idle = await Promise.all(Array.from({ length: 40 }, () =>
      new Promise((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1',
          () => resolve(socket))
        socket.once('error', reject)
      })))
    try {
      // Let the server take every one of them to a worker first.
      await new Promise((resolve) => setTimeout(resolve, 200))
      const started = Date.now()
      const res = await get('/healthz')

      assert.equal(res.status, 200)
      assert.ok(Date.now() - started < 1000,
        `answered after ${Date.now() - started} ms`)
    } finally {
      for (const socket of idle) socket.destroy()
    }
  })

test('a second collector on the same port exits 1 and says why', async () => {
  const second = run(serveArgs(server.port))

  const { code } =
    await withTimeout(second.exited, startTimeoutMs, 'second collector')

  assert.equal(code, 1)
  assert.match(second.stderr, /cannot listen/)
  assert.match(second.stderr, /in use/)
  assert.equal(second.stdout, '')
})

test('an invalid scoring model stops the start at its JSON path', async () => {
  const bad = path.join(dir, 'bad-model.json')
  await fs.writeFile(bad, JSON.stringify({
    version: 1,
    rules: [{ id: 'x', points: 'many' }],
    grades: [{ grade: 'A', min: 0 }],
  }))

  const proc = run(serveArgs(await freePort(), { scoring: bad }))
  const { code } = await withTimeout(proc.exited, startTimeoutMs, 'bad model')

  assert.equal(code, 2, 'a bad file on the command line is a usage error')
  assert.match(proc.stderr, /\/rules\/0\/points/)
  assert.match(proc.stderr, /integer/)
  assert.equal(proc.stdout, '')
})

test('serve classifies raw views with --referrers and --channels',
  async () => {
    const referrers = path.join(dir, 'referrers.json')
    const channels = path.join(dir, 'channels.json')
    await fs.writeFile(referrers, JSON.stringify({
      search: { CorpFind: { domains: ['find.corp.test'], parameters: ['k'] } },
    }))
    await fs.writeFile(channels, JSON.stringify({
      prepend: [{ channel: 'Intranet',
        all: [{ field: 'source', equals: 'corpfind' }] }],
    }))
    const port = await freePort()
    const own = run(serveArgs(port, {
      db: 'custom.db',
      extra: ['--referrers', referrers, '--channels', channels],
    }))
    own.port = port
    const shared = server
    try {
      server = own // request() talks to `server`
      await waitUntilServing(own)
      const view = rawView({ referrer: 'https://find.corp.test/?k=crm' })

      const res = await post({ raw_page_views: [view] })

      assert.equal(res.status, 200)
      const [stored] = await storedById([view.id])
      assert.equal(stored.touch.referrer.source, 'CorpFind')
      assert.equal(stored.touch.referrer.term, 'crm')
      assert.equal(stored.touch.channel, 'Intranet')
    } finally {
      server = shared
      await stop(own)
    }
  })

test('a bad --channels file stops the start with 2 at its JSON path',
  async () => {
    const bad = path.join(dir, 'bad-channels.json')
    await fs.writeFile(bad, JSON.stringify({
      prepend: [{ channel: 'X', all: [{ field: 'source', regex: '(' }] }],
    }))

    const proc = run(serveArgs(await freePort(),
      { db: 'unused.db', extra: ['--channels', bad] }))
    const { code } =
      await withTimeout(proc.exited, startTimeoutMs, 'bad channels')

    assert.equal(code, 2)
    assert.match(proc.stderr, /invalid channel rules/)
    assert.ok(proc.stderr.includes(bad), proc.stderr)
    assert.match(proc.stderr, /\/prepend\/0\/all\/0\/regex/)
    assert.equal(proc.stdout, '')
  })

test('a missing or broken --referrers file stops the start with 2',
  async () => {
    const missing = path.join(dir, 'no-such-referrers.json')
    const broken = path.join(dir, 'broken-referrers.json')
    await fs.writeFile(broken,
      JSON.stringify({ search: { X: { domains: 3 } } }))

    const gone = run(serveArgs(await freePort(),
      { db: 'unused.db', extra: ['--referrers', missing] }))
    const bad = run(serveArgs(await freePort(),
      { db: 'unused.db', extra: ['--referrers', broken] }))
    const goneExit = await withTimeout(gone.exited, startTimeoutMs, 'missing')
    const badExit = await withTimeout(bad.exited, startTimeoutMs, 'broken')

    assert.equal(goneExit.code, 2)
    assert.match(gone.stderr, /cannot read referrer database/)
    assert.ok(gone.stderr.includes(missing), gone.stderr)
    assert.equal(badExit.code, 2)
    assert.match(bad.stderr, /invalid referrer database/)
    assert.match(bad.stderr, /\/search\/X\/domains/)
  })

test('serve --help prints the usage and exits 0', async () => {
  const proc = run(['serve', '--help'])

  const { code } = await withTimeout(proc.exited, startTimeoutMs, '--help')

  assert.equal(code, 0)
  assert.match(proc.stdout, /usage: loopkit serve/)
  assert.match(proc.stdout, /--scoring FILE/)
  assert.match(proc.stdout, /--referrers FILE/)
  assert.match(proc.stdout, /--channels FILE/)
})

test('SIGTERM stops the collector cleanly', async () => {
  server.child.kill('SIGTERM')

  const { code } = await withTimeout(server.exited, 5000, 'SIGTERM')

  assert.equal(code, 0)
  assert.match(server.stderr, /msg="stopping" signal=SIGTERM/)
})
