// Shared by the browser tests: the native collector serving the demo and
// the built snippet, Debian's Chromium through playwright-core, and ways to
// watch what a page sends and what the collector stored.
//
// Paths come from LOOPKIT_BIN, LOOPKIT_SNIPPET_DIR, LOOPKIT_WEB_DIR and
// LOOPKIT_SCORING, defaulting to the build tree of this checkout.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, before } from 'node:test'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const paths = {
  bin: process.env.LOOPKIT_BIN ||
    join(repo, 'build/native/collector/loopkit'),
  snippet: process.env.LOOPKIT_SNIPPET_DIR || join(repo, 'build/web/loopkit'),
  web: process.env.LOOPKIT_WEB_DIR || join(repo, 'web/demo'),
  scoring: process.env.LOOPKIT_SCORING || join(repo, 'web/demo/scoring.json'),
  fixtures: join(repo, 'tests/browser/fixtures'),
}

// Debian's Chromium; playwright's own browser downloads are not used.
export const CHROMIUM = process.env.LOOPKIT_CHROMIUM || '/usr/bin/chromium'
// Headless Chromium names itself HeadlessChrome, which the collector files
// as a bot's and leaves out of leads; the tests play a person's browser.
export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) ' +
  'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--user-agent=' + USER_AGENT]

// The running collector { process, base, db, dir } and browser, once
// useCollectorAndBrowser's before() hook has run.
export let collector
export let browser

// Starts one collector (with extraArgs on its command line) and one browser
// for the test file, and stops both after it.
export function useCollectorAndBrowser(extraArgs = []) {
  before(async () => {
    const needed = [...Object.values(paths),
      join(paths.snippet, 'loopkit.js'),
      join(paths.snippet, 'loopkit-page.wasm')]
    for (const path of needed) {
      assert.ok(existsSync(path), `${path} not found; run make build`)
    }
    collector = await startCollector(extraArgs)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    })
  })

  after(async () => {
    if (browser) await browser.close()
    if (collector) {
      await stopCollector(collector.process)
      rmSync(collector.dir, { recursive: true, force: true })
    }
  })
}

// ---- helpers ---------------------------------------------------------------

// The collector keeps bots' events apart, and headless Chromium says it is
// one; the pages here are a visitor's.
export function userAgent() {
  return 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 ' +
    `(KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`
}

const watchedContexts = new WeakSet()

// A page and what it does. options: allowFailedLoads; context, to open a
// second tab of the same browser profile; contextOptions for a new one.
export async function openPage(options = {}) {
  const context = options.context || await browser.newContext({
    userAgent: userAgent(),
    ...options.contextOptions,
  })
  const page = await context.newPage()
  const watch = {
    errors: [],
    warnings: [],
    infos: [], // loopkit's debug lines: "loopkit: queued page_view", ...
    pageErrors: [],
    csp: [],
    bodies: [],
    loopkitWarnings() {
      return this.warnings.filter((w) => w.startsWith('loopkit:'))
    },
    problems() {
      return [...this.errors, ...this.pageErrors, ...this.csp]
    },
  }

  // CSP violations are reported from inside the page, on every document.
  await page.exposeBinding('reportViolation', (_, v) => watch.csp.push(v))
  if (!watchedContexts.has(context)) {
    watchedContexts.add(context)
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.reportViolation('CSP ' + e.violatedDirective + ' blocked ' +
          e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber)
      })
    })
  }
  page.on('console', (message) => {
    const text = message.text()
    if (message.type() === 'warning') watch.warnings.push(text)
    if (message.type() === 'info') watch.infos.push(text)
    if (message.type() !== 'error') return
    if (options.allowFailedLoads && /Failed to load resource/.test(text)) return
    watch.errors.push('console error: ' + text)
  })
  page.on('pageerror', (error) => watch.pageErrors.push(String(error)))
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/collect') {
      watch.bodies.push(request.postData() || '')
    }
  })
  return { context, page, watch }
}

// Resolves with loopkit.ready: true once tracking runs, false without core.
export async function trackerReady(page) {
  await page.waitForFunction(() => window.loopkit && window.loopkit.ready)
  return page.evaluate(() => window.loopkit.ready)
}

// Holds the page's first .wasm download until the returned function is
// called, as on a network far slower than the visitor; later downloads
// (the next page's) go at once.
export async function holdFirstCore(page) {
  let release
  const held = new Promise((resolve) => { release = resolve })
  let first = true
  await page.route('**/loopkit/loopkit-page.wasm', async (route) => {
    if (first) {
      first = false
      await held
    }
    route.continue().catch(() => {})
  })
  return release
}

// 'loading' while the page's core has not arrived, else 'ready'.
export const stillLoading = (page) => page.evaluate(() => Promise.race([
  window.loopkit.ready.then(() => 'ready'),
  new Promise((resolve) => setTimeout(resolve, 100, 'loading')),
]))

// Serves tests/browser/fixtures/ under /fixtures/ on the collector's origin,
// with the collector's own CSP (or options.csp), so a fixture runs under
// the demo's rules.
export async function serveFixtures(page, options = {}) {
  const index = await fetch(collector.base + '/')
  const csp = options.csp || index.headers.get('content-security-policy')
  assert.ok(csp, 'the collector sends a CSP')

  await page.route('**/fixtures/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()
    route.fulfill({
      body: readFileSync(join(paths.fixtures, name)),
      contentType: name.endsWith('.js') ? 'text/javascript' : 'text/html',
      headers: { 'Content-Security-Policy': csp },
    })
  })
}

export async function api(path) {
  const response = await fetch(collector.base + path)
  assert.equal(response.status, 200, path)
  return response.json()
}

// Retries read until it returns something truthy; beacons arrive a little
// after the page sent them.
export async function poll(what, read, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value) return value
    if (Date.now() > deadline) assert.fail('timed out waiting for ' + what)
    await new Promise((r) => setTimeout(r, 200))
  }
}

// SQLite may still hold recent pages in the write-ahead log.
export function databaseContains(needle) {
  for (const file of [collector.db, collector.db + '-wal']) {
    if (!existsSync(file)) continue
    const text = readFileSync(file).toString('latin1').toLowerCase()
    if (text.includes(needle)) return true
  }
  return false
}

// ---- the collector process -------------------------------------------------

export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => done(port))
    })
  })
}

export async function startCollector(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'loopkit-e2e-'))
  const db = join(dir, 'events.db')
  const port = await freePort()
  const child = spawn(paths.bin, ['serve', '--port', String(port),
    '--db', db, '--web', paths.web, '--snippet', paths.snippet,
    '--scoring', paths.scoring, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
  // Never leave the collector behind, even when the runner is interrupted.
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'))

  let output = ''
  const base = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(
      'collector did not start in 15 s:\n' + output)), 15000)
    const read = (chunk) => {
      output += chunk
      const ready = /loopkit: serving (http:\/\/127\.0\.0\.1:\d+)\//
        .exec(output)
      if (ready) {
        clearTimeout(timer)
        done(ready[1])
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.on('exit', (code) => {
      clearTimeout(timer)
      fail(new Error('collector exited with ' + code + ':\n' + output))
    })
  })
  return { process: child, base, db, dir }
}

export async function stopCollector(child) {
  if (child.exitCode !== null) return
  const exited = new Promise((done) => child.once('exit', done))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

// ---- the snippet's own tests -----------------------------------------------

// Polls the collector until at least count stored events pass filter; they
// come back oldest first.
export async function storedEvents(what, filter, count = 1) {
  return poll(what, async () => {
    const { events } = await api('/api/events?limit=1000')
    // The API lists the newest first (by time, then as stored): reversed,
    // events of the same millisecond keep the order they were stored in.
    const found = events.filter(filter).reverse()
      .sort((a, b) => a.time - b.time)
    return found.length >= count && found
  })
}

// The visitor id the page keeps in localStorage.
export function storedVisitor(page) {
  return page.evaluate(() => localStorage.getItem('loopkit_id'))
}

// Every event and raw view id in the /collect bodies, in order sent; a raw
// view's as "raw:<id>", since the page view its core makes later has the
// same id (it replaces the raw one at the collector).
export function sentIds(bodies) {
  return bodies.flatMap((body) => {
    const parsed = JSON.parse(body)
    return [...(parsed.events || []).map((e) => e.id),
      ...(parsed.raw_page_views || []).map((v) => 'raw:' + v.id)]
  })
}

// The events (not raw views) in the /collect bodies, in order sent.
export function sentEvents(bodies) {
  return bodies.flatMap((body) => (body && JSON.parse(body).events) || [])
}

// Waits until the page's core has sent a page view (after the raw one the
// page sends before its core arrives) and answers how many bodies went.
export async function coreViewSent(watch) {
  await poll('the core\'s page view sent', () => sentEvents(watch.bodies)
    .some((e) => e.type === 'page_view'))
  return watch.bodies.length
}
