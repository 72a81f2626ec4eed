// Delivery that loses nothing and doubles nothing: offline and back, a
// reload with events still queued, and tabs that share one queue store.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { test } from 'node:test'

import {
  collector, coreViewSent, holdFirstCore, openPage, poll, sentEvents,
  sentIds, serveFixtures, stillLoading, storedEvents, storedVisitor,
  trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

const fixture = '/fixtures/tag.html?tag=debug'
const tracks = (visitor) => (e) => e.visitor_id === visitor &&
  e.type === 'track'
const queued = (page) => page.evaluate(() => Object.keys(localStorage)
  .filter((k) => k.startsWith('loopkit_queue.'))
  .flatMap((k) => JSON.parse(localStorage.getItem(k)).items)
  .map(([, item]) => item.name || item.type))
// What the snippet sees when the browser says it is offline, without
// taking the page's own network away.
const pretendOffline = (page) => page.evaluate(() => Object.defineProperty(
  navigator, 'onLine', { get: () => false, configurable: true }))

test('events made offline are sent once when the browser is back online',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page)
    await page.goto(collector.base + fixture)
    assert.equal(await trackerReady(page), true)
    const visitor = await storedVisitor(page)
    await storedEvents('the page view', (e) => e.visitor_id === visitor)
    const before = await coreViewSent(watch)

    await context.setOffline(true)
    await page.evaluate(() => {
      for (const n of [1, 2, 3]) window.loopkit('track', 'offline_' + n)
    })
    await poll('three queued', async () => (await queued(page)).length === 3)
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)))
    assert.equal(watch.bodies.length, before, 'nothing sent while offline')
    await context.setOffline(false)

    const stored = await storedEvents('the offline events', tracks(visitor), 3)
    assert.deepEqual(stored.map((e) => e.name),
      ['offline_1', 'offline_2', 'offline_3'])
    await poll('the queue emptied', async () =>
      (await queued(page)).length === 0)
    const ids = sentIds(watch.bodies)
    assert.equal(new Set(ids).size, ids.length, 'no id sent twice')
    assert.equal(watch.bodies.length, before + 1,
      'one batch after coming back')
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })

test('events still queued when the page unloads offline are sent by the ' +
  'next page', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + fixture)
  assert.equal(await trackerReady(page), true)
  const visitor = await storedVisitor(page)
  await coreViewSent(watch)

  await pretendOffline(page)
  await page.evaluate(() => window.loopkit('track', 'before_reload'))
  await poll('one queued', async () => (await queued(page)).length === 1)
  await page.reload()
  assert.equal(await trackerReady(page), true)

  const [stored] = await storedEvents('the queued event', tracks(visitor))
  assert.equal(stored.name, 'before_reload')
  await poll('both views', async () => (await storedEvents('views',
    (e) => e.visitor_id === visitor && e.type === 'page_view')).length === 2)
  const ids = sentIds(watch.bodies)
  assert.ok(ids.includes(stored.id))
  assert.equal(new Set(ids).size, ids.length, 'no id sent twice')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('two tabs that start together send a closed tab\'s queue once',
  async () => {
    const first = await openPage()
    const { context } = first
    const bodies = []
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/collect') {
        bodies.push(request.postData())
      }
    })
    await serveFixtures(first.page)
    await first.page.goto(collector.base + fixture)
    assert.equal(await trackerReady(first.page), true)
    const visitor = await storedVisitor(first.page)
    await coreViewSent(first.watch)
    await pretendOffline(first.page)
    await first.page.evaluate(() => {
      for (const n of [1, 2]) window.loopkit('track', 'closed_tab_' + n)
    })
    await poll('two queued', async () =>
      (await queued(first.page)).length === 2)
    await first.page.close()

    const tabs = await Promise.all([openPage({ context }),
      openPage({ context })])
    for (const { page } of tabs) await serveFixtures(page)
    await Promise.all(tabs.map(({ page }) => page.goto(collector.base +
      fixture)))
    for (const { page } of tabs) assert.equal(await trackerReady(page), true)

    const stored = await storedEvents('the closed tab\'s events',
      tracks(visitor), 2)
    assert.deepEqual(stored.map((e) => e.name),
      ['closed_tab_1', 'closed_tab_2'])
    await poll('three views', async () => (await storedEvents('views',
      (e) => e.visitor_id === visitor && e.type === 'page_view'))
      .length === 3)
    // Exactly one of the two tabs took the closed tab's queue. (A tab may
    // send a batch again after a failed request; the collector keeps each
    // id once, which storedEvents checked above.)
    const closedIds = stored.map((e) => e.id)
    const senders = tabs.filter(({ watch }) => sentIds(watch.bodies)
      .some((id) => closedIds.includes(id)))
    assert.equal(senders.length, 1, 'tabs that sent the closed tab\'s ' +
      'events: ' + senders.length)
    const ids = sentIds(bodies)
    assert.deepEqual(closedIds.filter((id) => ids.includes(id)), closedIds)
    await context.close()
  })

test('a full queue drops its oldest events, reports how many once, and ' +
  'drains past the 64 KiB keepalive budget when back online', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + '/fixtures/tag.html')
  assert.equal(await trackerReady(page), true)
  const visitor = await storedVisitor(page)
  await coreViewSent(watch)

  await context.setOffline(true)
  const made = 520
  await page.evaluate((n) => {
    for (let i = 0; i < n; i++) window.loopkit('track', 'flood', { i })
  }, made)
  await poll('the drop reported', async () =>
    (await queued(page)).includes('loopkit_dropped'))
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)))
  const waiting = await queued(page)
  assert.equal(waiting.filter((n) => n === 'loopkit_dropped').length, 1,
    'one report for the burst')
  assert.ok(waiting.length < made)
  const storedBytes = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('loopkit_queue.'))
    .reduce((sum, k) => sum +
      new TextEncoder().encode(localStorage.getItem(k)).length, 0))
  assert.ok(storedBytes <= 256 * 1024, 'the stored queue holds ' +
    storedBytes + ' bytes')
  await context.setOffline(false)

  const kept = await storedEvents('the kept events', (e) =>
    tracks(visitor)(e) && e.name === 'flood', waiting.length - 1)
  const [report] = await storedEvents('the report', (e) =>
    tracks(visitor)(e) && e.name === 'loopkit_dropped')
  // Nothing lost without being counted, and the newest are the ones kept.
  assert.equal(kept.length + report.props.count, made)
  assert.deepEqual(kept.map((e) => e.props.i).sort((a, b) => a - b),
    Array.from(kept, (_, k) => made - kept.length + k))
  await poll('the queue emptied', async () =>
    (await queued(page)).length === 0)
  const sentBytes = watch.bodies.reduce((sum, b) => sum + b.length, 0)
  assert.ok(sentBytes > 64 * 1024, 'sent ' + sentBytes + ' bytes')
  const ids = sentIds(watch.bodies)
  assert.equal(new Set(ids).size, ids.length, 'no id sent twice')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('an address in the page URL leaves neither in the body nor in the ' +
  'Referer header', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const sending = page.waitForRequest((r) =>
    new URL(r.url()).pathname === '/collect')
  await page.goto(collector.base +
    '/fixtures/tag.html?email=jane%40example.com&utm_source=referer_check')
  const request = await sending
  const headers = await request.allHeaders()
  assert.equal(headers.referer, undefined)
  assert.doesNotMatch(request.postData(), /jane/)
  const [view] = await storedEvents('the view', (e) =>
    e.touch.campaign.source === 'referer_check')
  assert.match(view.page.url, /email=redacted/)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

// A new page (in context, when given) of the fixture with query whose core
// is held, once it has sent its view raw.
async function openBeforeCore(query, context) {
  const opened = await openPage(context ? { context } : {})
  await serveFixtures(opened.page)
  const release = await holdFirstCore(opened.page)
  await opened.page.goto(collector.base + '/fixtures/tag.html?tag=debug' +
    query)
  await poll('the raw view', () => opened.watch.bodies.length === 1)
  const [raw] = JSON.parse(opened.watch.bodies[0]).raw_page_views
  return { ...opened, release, raw }
}

// As when the page goes into the back/forward cache.
const hide = (page) => page.evaluate(() => window.dispatchEvent(
  new PageTransitionEvent('pagehide', { persisted: true })))

test('a page view goes out before the core has arrived, classified by the ' +
  'collector, and counts once when the visitor leaves first', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const release = await holdFirstCore(page)

  await page.goto(collector.base +
    '/fixtures/tag.html?tag=debug&utm_source=early_leave&utm_medium=email')
  await page.waitForFunction(() => window.loopkit && window.loopkit.version)
  const [view] = await storedEvents('the raw view', (e) =>
    e.touch.campaign.source === 'early_leave')
  assert.equal(await stillLoading(page), 'loading')
  await page.close({ runBeforeUnload: true }) // the tab is closed
  release()

  assert.equal(view.type, 'page_view')
  assert.equal(view.touch.medium, 'email')
  assert.equal(view.page.path, '/fixtures/tag.html')
  assert.match(view.visitor_id, /^[0-9a-f-]{32,36}$/)
  assert.deepEqual(sentIds(watch.bodies), ['raw:' + view.id])
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const views = await storedEvents('the raw view, once', (e) =>
    e.touch.campaign.source === 'early_leave')
  assert.equal(views.length, 1)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a raw view from a linked site\'s link keeps neither the parameter ' +
  'nor a visitor of its own', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await holdFirstCore(page) // never released: the visitor leaves first
  const link = 'linked-visitor-raw.' + Date.now().toString(36)

  await page.goto(collector.base + '/fixtures/tag.html?tag=debug' +
    '&utm_source=linked_raw&_lk=' + link)
  const [view] = await storedEvents('the raw view', (e) =>
    e.touch.campaign.source === 'linked_raw')
  await page.close({ runBeforeUnload: true })

  assert.equal(view.visitor_id, 'linked-visitor-raw')
  assert.equal(new URL(view.page.url).search, '?tag=debug&utm_source=linked_raw')
  assert.doesNotMatch(view.touch.landing_page, /_lk/)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('the core\'s page view replaces the raw one sent before it arrived',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page)
    const release = await holdFirstCore(page)

    await page.goto(collector.base + '/fixtures/tag.html?tag=debug' +
      '&utm_source=replaced_here&utm_medium=social')
    const [raw] = await storedEvents('the raw view', (e) =>
      e.touch.campaign.source === 'replaced_here')
    release()
    assert.equal(await trackerReady(page), true)

    const [own] = await storedEvents('the core\'s view', (e) =>
      e.id === raw.id && e.session_id !== raw.session_id)
    assert.equal(own.session_id, await page.evaluate(() =>
      JSON.parse(localStorage.getItem('loopkit_state')).session_id))
    assert.equal(own.touch.channel, 'Organic Social')
    const views = await storedEvents('the views', (e) =>
      e.touch.campaign.source === 'replaced_here')
    assert.equal(views.length, 1)
    assert.deepEqual(sentIds(watch.bodies).slice(0, 2),
      ['raw:' + raw.id, raw.id])
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })

test('a page view sent before the core arrived is replaced by the core\'s ' +
  'on the next page when the visitor clicked on first', async () => {
  const { context, page, watch, release, raw } = await openBeforeCore(
    '&utm_source=click_through&utm_medium=email&utm_campaign=early')
  assert.equal(await stillLoading(page), 'loading')
  // The visitor follows a link on to the next page of the site.
  await page.goto(collector.base + '/fixtures/tag.html?tag=debug')
  release()
  assert.equal(await trackerReady(page), true)

  const visitor = await storedVisitor(page)
  assert.equal(visitor, raw.visitor_id)
  const [landing, next] = await storedEvents('both views from the core',
    (e) => e.visitor_id === visitor && e.type === 'page_view' &&
      e.session_id.length === 36, 2)
  // The first page's view is the core's now, under the raw view's id, and
  // the next page continues its session and campaign.
  assert.equal(landing.id, raw.id)
  assert.equal(landing.touch.campaign.name, 'early')
  assert.equal(next.session_id, landing.session_id)
  assert.equal(next.touch.channel, 'Email')
  const touches = await page.evaluate(() => window.loopkit.touches())
  assert.equal(touches.first.campaign, 'early')
  assert.equal(await page.evaluate(() =>
    localStorage.getItem('loopkit_views')), null, 'nothing left to hand on')
  const stored = await storedEvents('the views', (e) =>
    e.visitor_id === visitor && e.type === 'page_view', 2)
  assert.equal(stored.length, 2, 'each view stored once')
  const ids = sentIds(watch.bodies)
  assert.equal(new Set(ids).size, ids.length, 'nothing sent twice')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('views handed on by another tab are taken in with the page\'s own, ' +
  'in the order they were seen', async () => {
  const first = await openBeforeCore('&utm_source=in_order&utm_medium=email')
  const { context } = first
  // A second tab of the site, opened later and closed before its core
  // arrives, hands its view on.
  const second = await openBeforeCore('', context)
  await second.page.close({ runBeforeUnload: true })
  first.release()
  assert.equal(await trackerReady(first.page), true)

  const visitor = await storedVisitor(first.page)
  const [landing, later] = await storedEvents('both views from the core',
    (e) => e.visitor_id === visitor && e.type === 'page_view' &&
      e.session_id.length === 36, 2)
  assert.equal(landing.touch.campaign.source, 'in_order')
  assert.equal(later.session_id, landing.session_id)
  assert.equal(later.touch.channel, 'Email')
  await context.close()
})

test('a page that hands its views on and then gets its core takes each ' +
  'in once', async () => {
  const { context, page, watch, release, raw } =
    await openBeforeCore('&utm_source=handed_back')

  await hide(page) // and back, with the core arriving only then
  release()
  assert.equal(await trackerReady(page), true)
  await coreViewSent(watch)

  const history = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('loopkit_state')).history)
  const taken = history.filter((e) => e.id === raw.id)
  assert.equal(taken.length, 1, 'the view taken in ' + taken.length + ' times')
  assert.equal(sentEvents(watch.bodies).filter((e) => e.id === raw.id).length,
    1)
  await context.close()
})

test('a view another page took in while this one was away is not taken ' +
  'in again', async () => {
  const first = await openBeforeCore('&utm_source=taken_elsewhere')
  const { context, raw } = first
  // The page is left; another page of the site gets its core and takes the
  // view in.
  await hide(first.page)
  const other = await openPage({ context })
  await serveFixtures(other.page)
  await other.page.goto(collector.base + '/fixtures/tag.html?tag=debug')
  assert.equal(await trackerReady(other.page), true)
  await poll('the view taken in there', () => sentEvents(other.watch.bodies)
    .some((e) => e.id === raw.id))
  first.release()
  assert.equal(await trackerReady(first.page), true)
  await first.page.evaluate(() => new Promise((r) => setTimeout(r, 500)))

  const history = await first.page.evaluate(() =>
    JSON.parse(localStorage.getItem('loopkit_state')).history)
  assert.equal(history.filter((e) => e.id === raw.id).length, 1)
  assert.equal(sentEvents(first.watch.bodies)
    .filter((e) => e.id === raw.id).length, 0)
  await context.close()
})

test('events a beacon carried to a failing collector as the page left are ' +
  'sent again by the next page', async () => {
  // The site's own server in front of the collector, which can fail its
  // /collect. Beacons sent as a page unloads pass no page route, and
  // Chromium lets a page reach another loopback port only from the same
  // origin, so the page comes from this server too.
  let down = false
  const refused = []
  const proxy = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      if (down && req.url === '/collect') {
        refused.push(body.toString())
        res.writeHead(503).end()
        return
      }
      const answer = await fetch(collector.base + req.url, {
        method: req.method,
        body: req.method === 'POST' ? body : undefined,
        headers: {
          'Content-Type': req.headers['content-type'] || 'text/plain',
          'User-Agent': req.headers['user-agent'],
          'Accept-Encoding': 'identity',
        },
      })
      res.writeHead(answer.status, {
        'Content-Type': answer.headers.get('content-type') || '',
      }).end(Buffer.from(await answer.arrayBuffer()))
    })
  })
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxy.unref() // a failed assertion must not keep the run alive
  const url = 'http://127.0.0.1:' + proxy.address().port + fixture

  const first = await openPage()
  const { context } = first
  await serveFixtures(first.page)
  await first.page.goto(url)
  assert.equal(await trackerReady(first.page), true)
  const visitor = await storedVisitor(first.page)
  await storedEvents('the view', (e) => e.visitor_id === visitor)

  // The collector fails just as the visitor leaves: the page has seen no
  // failed send, and only its beacon carries the event.
  down = true
  await first.page.evaluate(() => window.loopkit('track', 'while_down'))
  await first.page.close({ runBeforeUnload: true })
  await poll('the refused beacon', () => refused.length >= 1)
  assert.match(refused.join(), /while_down/)
  down = false

  const next = await openPage({ context })
  await serveFixtures(next.page)
  await next.page.goto(url)
  assert.equal(await trackerReady(next.page), true)
  const stored = await storedEvents('the event', tracks(visitor))
  assert.deepEqual(stored.map((e) => e.name), ['while_down'])
  await context.close()
  proxy.closeAllConnections()
  proxy.close()
})
