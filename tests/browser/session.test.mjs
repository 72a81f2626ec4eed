// The visitor and their sessions across page loads: the id in a cookie and
// localStorage, sessions split by inactivity, a payment page's return and
// a campaign that stays with the visit.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { chromium } from 'playwright-core'

import {
  CHROMIUM, CHROMIUM_ARGS, collector, openPage, serveFixtures,
  storedEvents, storedVisitor, trackerReady, useCollectorAndBrowser,
  userAgent,
} from './harness.mjs'

useCollectorAndBrowser()

const page1 = '/fixtures/tag.html?tag=debug'
const views = (visitor) => (e) =>
  e.visitor_id === visitor && e.type === 'page_view'

test('a session ends after 30 minutes without activity', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.clock.install({ time: new Date('2025-03-01T10:00:00Z') })

  await page.goto(collector.base + page1)
  assert.equal(await trackerReady(page), true)
  const visitor = await storedVisitor(page)
  await storedEvents('the first view', views(visitor), 1)
  await page.clock.fastForward('29:00')
  await page.goto(collector.base + page1 + '&n=2')
  await storedEvents('the second view', views(visitor), 2)
  await page.clock.fastForward('31:00')
  await page.goto(collector.base + page1 + '&n=3')

  const [first, second, third] =
    await storedEvents('the third view', views(visitor), 3)
  assert.equal(second.session_id, first.session_id, '29 minutes apart')
  assert.notEqual(third.session_id, second.session_id, '31 minutes apart')
  assert.ok(third.time - second.time >= 31 * 60 * 1000)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a visitor back from a payment page keeps the email campaign and ' +
  'the session, and the landing UTMs stay in the touch two pages later',
async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const landing = collector.base + page1 +
    '&utm_source=newsletter&utm_medium=email&utm_campaign=spring'

  await page.goto(landing)
  assert.equal(await trackerReady(page), true)
  const visitor = await storedVisitor(page)
  await page.goto(collector.base + page1 + '&step=cart', { referer: landing })
  await storedEvents('two views', views(visitor), 2)
  await page.goto(collector.base + page1 + '&step=paid',
    { referer: 'https://www.paypal.com/checkoutnow?token=EC-1' })
  assert.equal(await trackerReady(page), true)
  const touches = await page.evaluate(() => window.loopkit.touches())

  const stored = await storedEvents('three views', views(visitor), 3)
  assert.deepEqual(stored.map((e) => new URL(e.page.url).searchParams
    .get('step')), [null, 'cart', 'paid'])
  assert.equal(new Set(stored.map((e) => e.session_id)).size, 1)
  for (const view of stored) {
    assert.equal(view.touch.campaign.source, 'newsletter')
    assert.equal(view.touch.campaign.medium, 'email')
    assert.equal(view.touch.campaign.name, 'spring')
    assert.equal(view.touch.channel, 'Email')
  }
  assert.equal(stored[2].page.referrer,
    'https://www.paypal.com/checkoutnow?token=EC-1')
  assert.match(JSON.stringify(touches.first), /newsletter/)
  assert.match(JSON.stringify(touches.last), /newsletter/)
  assert.equal(touches.history.length, 1, 'PayPal made no touch')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('the visitor id cookie and localStorage restore each other',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page)
    const cookie = async () => (await context.cookies())
      .filter((c) => c.name === 'loopkit_id')

    await page.goto(collector.base + page1)
    assert.equal(await trackerReady(page), true)
    const visitor = await storedVisitor(page)
    assert.match(visitor, /^[A-Za-z0-9_-]{8,64}$/)
    const [set] = await cookie()
    assert.equal(set.value, visitor)
    assert.equal(set.sameSite, 'Lax')
    assert.ok(set.expires * 1000 - Date.now() > 364 * 86400 * 1000,
      'a year by default')

    await context.clearCookies()
    await page.reload()
    assert.equal(await trackerReady(page), true)
    assert.equal((await cookie())[0].value, visitor, 'from localStorage')

    await page.evaluate(() => localStorage.clear())
    await page.reload()
    assert.equal(await trackerReady(page), true)
    assert.equal(await storedVisitor(page), visitor, 'from the cookie')

    const stored = await storedEvents('three views', views(visitor), 3)
    assert.equal(stored.length, 3)
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })

// Two subdomains of one site, both on the collector: the browser maps them
// to 127.0.0.1 and nowhere else.
test('a cookie shared by www. and app. gives both one visitor, and wins ' +
  'over a copy set for one host', async () => {
  const mapped = await chromium.launch({
    executablePath: CHROMIUM,
    // A fixture the test fulfils has no address, so Chromium takes it for
    // a public page and would refuse its requests to loopback.
    args: [...CHROMIUM_ARGS,
      '--host-resolver-rules=MAP *.loopkit.test 127.0.0.1',
      '--disable-features=BlockInsecurePrivateNetworkRequests,' +
        'PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks'],
  })
  const context = await mapped.newContext({ userAgent: userAgent() })
  const page = await context.newPage()
  await serveFixtures(page)
  const port = new URL(collector.base).port
  const at = (host) => `http://${host}.loopkit.test:${port}` + page1 +
    '&tag=cookie-domain:loopkit.test'
  await context.addCookies([{ name: 'loopkit_id', value: 'app-only-visitor',
    url: `http://app.loopkit.test:${port}/` }])

  await page.goto(at('www'))
  assert.equal(await trackerReady(page), true)
  const visitor = await storedVisitor(page)
  await page.goto(at('app'))
  assert.equal(await trackerReady(page), true)

  assert.equal(await storedVisitor(page), visitor)
  const cookies = (await context.cookies())
    .filter((c) => c.name === 'loopkit_id')
  assert.deepEqual(cookies.map((c) => [c.domain, c.value]),
    [['.loopkit.test', visitor]], 'the host-only copy is gone')
  const stored = await storedEvents('both views', views(visitor), 2)
  assert.deepEqual(stored.map((e) => new URL(e.page.url).hostname),
    ['www.loopkit.test', 'app.loopkit.test'])
  await mapped.close()
})
