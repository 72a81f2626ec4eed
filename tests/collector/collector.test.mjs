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

const bin = process.env.LOOPKIT_BIN
const scoringFile = process.env.LOOPKIT_SCORING
const startTimeoutMs = 10_000
const maxBody = 256 * 1024

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

function serveArgs(port, { scoring = scoringFile } = {}) {
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port),
    '--db', path.join(dir, 'loopkit.db'),
    '--web', path.join(dir, 'web'),
    '--snippet', path.join(dir, 'snippet')]
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
        const text = Buffer.concat(chunks).toString('utf8')
        let json
        try { json = JSON.parse(text) } catch (_) { json = undefined }
        resolve({ status: res.statusCode, headers: res.headers, text, json })
      })
    })
    req.on('error', reject)
    req.setTimeout(5000, () => req.destroy(new Error(`${urlPath} timed out`)))
    req.end(body)
  })
}

const get = (urlPath) => request('GET', urlPath)
const post = (body) => request('POST', '/collect',
  { body: typeof body === 'string' ? body : JSON.stringify(body) })

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
    'snippet/loopkit-core.wasm': Buffer.from('\0asm\x01\0\0\0', 'latin1'),
  }
  await fs.mkdir(path.join(dir, 'web'))
  await fs.mkdir(path.join(dir, 'snippet'))
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), content)
  }
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

test('snippet files and the scoring model have their types', async () => {
  const script = await get('/loopkit/loopkit.js')
  const wasm = await get('/loopkit/loopkit-core.wasm')
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

test('the server still answers after all the bad requests', async () => {
  const res = await get('/healthz')

  assert.equal(res.status, 200)
  assert.deepEqual(res.json, { ok: true })
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

  assert.equal(code, 1)
  assert.match(proc.stderr, /\/rules\/0\/points/)
  assert.match(proc.stderr, /integer/)
  assert.equal(proc.stdout, '')
})

test('serve --help prints the usage and exits 0', async () => {
  const proc = run(['serve', '--help'])

  const { code } = await withTimeout(proc.exited, startTimeoutMs, '--help')

  assert.equal(code, 0)
  assert.match(proc.stdout, /usage: loopkit serve/)
  assert.match(proc.stdout, /--scoring FILE/)
})

test('SIGTERM stops the collector cleanly', async () => {
  server.child.kill('SIGTERM')

  const { code } = await withTimeout(server.exited, 5000, 'SIGTERM')

  assert.equal(code, 0)
  assert.match(server.stderr, /msg="stopping" signal=SIGTERM/)
})
