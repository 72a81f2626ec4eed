// Consent: nothing stored or sent before a grant in the required mode, a
// denial that sticks, and the browser's Global Privacy Control.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  collector, coreViewSent, holdFirstCore, openPage, poll, serveFixtures,
  stillLoading, storedEvents, trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

const required = '/fixtures/tag.html?tag=debug&tag=consent:required'
const ourStorage = (page) => page.evaluate(() => Object.keys(localStorage)
  .filter((k) => k.startsWith('loopkit')).sort())
const ourCookies = async (context) => (await context.cookies())
  .filter((c) => c.name.startsWith('loopkit'))
// Longer than the snippet's one-second flush: what would be sent, was.
const settle = (page) => page.evaluate(() =>
  new Promise((r) => setTimeout(r, 1500)))

test('with consent required, nothing is stored or sent before the grant, ' +
  'and what happened before it arrives after', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)

  await page.goto(collector.base + required + '&utm_source=consent_grant')
  assert.equal(await trackerReady(page), true)
  await page.evaluate(() => window.loopkit('track', 'before_grant'))
  await settle(page)
  assert.deepEqual(watch.bodies, [])
  assert.deepEqual(await ourStorage(page), [])
  assert.deepEqual(await ourCookies(context), [])
  const granted = Date.now()
  await page.evaluate(() => window.loopkit('consent', 'granted'))

  const [view] = await storedEvents('the view from before the grant',
    (e) => e.touch.campaign.source === 'consent_grant')
  const stored = await storedEvents('both events',
    (e) => e.visitor_id === view.visitor_id, 2)
  assert.deepEqual(stored.map((e) => e.type), ['page_view', 'track'])
  assert.equal(stored[1].name, 'before_grant')
  assert.ok(stored.every((e) => e.time < granted), 'recorded when they ' +
    'happened, not at the grant')
  assert.deepEqual((await ourCookies(context)).map((c) => c.value),
    [view.visitor_id])
  assert.ok((await ourStorage(page)).includes('loopkit_id'))
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a visitor who denies consent sends nothing, keeps no id, and stays ' +
  'opted out on the next page', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)

  await page.goto(collector.base + required + '&utm_source=consent_deny')
  assert.equal(await trackerReady(page), true)
  await page.evaluate(() => {
    window.loopkit('track', 'before_deny')
    window.loopkit('consent', 'denied')
    window.loopkit('track', 'after_deny')
  })
  await page.reload()
  assert.equal(await trackerReady(page), true)
  await settle(page)

  assert.deepEqual(watch.bodies, [])
  assert.deepEqual(await ourCookies(context), [])
  assert.deepEqual(await ourStorage(page), ['loopkit_opt_out'])
  const { events } = await (await fetch(collector.base +
    '/api/events?limit=1000')).json()
  assert.equal(events.filter((e) =>
    e.touch.campaign.source === 'consent_deny').length, 0)
  const drops = watch.loopkitWarnings().filter((w) => /dropped/.test(w))
  assert.deepEqual(drops, [
    'loopkit: dropped page_view: the visitor opted out',
    'loopkit: dropped an event: the visitor opted out',
    'loopkit: dropped an event: the visitor opted out',
    'loopkit: dropped page_view: the visitor opted out',
  ])
  await context.close()
})

test('Global Privacy Control counts as a denial', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.addInitScript(() => Object.defineProperty(navigator,
    'globalPrivacyControl', { get: () => true }))

  await page.goto(collector.base + '/fixtures/tag.html?tag=debug')
  assert.equal(await trackerReady(page), true)
  await page.evaluate(() => window.loopkit('track', 'with_gpc'))
  await settle(page)

  assert.deepEqual(watch.bodies, [])
  assert.deepEqual(await ourCookies(context), [])
  assert.deepEqual(await ourStorage(page), [])
  await poll('the reason logged', () => watch.loopkitWarnings().some((w) =>
    w === 'loopkit: dropped page_view: Global Privacy Control is on'))
  await context.close()
})

test('a grant that lifts Global Privacy Control counts the page the ' +
  'visitor is on, with its campaign', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.addInitScript(() => Object.defineProperty(navigator,
    'globalPrivacyControl', { get: () => true }))

  await page.goto(collector.base +
    '/fixtures/tag.html?tag=debug&utm_source=gpc_lift&utm_medium=email')
  assert.equal(await trackerReady(page), true)
  await page.evaluate(() => {
    window.loopkit('track', 'before_grant')
    window.loopkit('consent', 'granted')
    window.loopkit('track', 'after_grant')
  })
  const stored = await storedEvents('the view and the track', (e) =>
    e.touch.campaign.source === 'gpc_lift', 2)
  assert.deepEqual(stored.map((e) => e.type + ':' + (e.name || '')),
    ['page_view:', 'track:after_grant'])
  assert.equal(stored[0].page.path, '/fixtures/tag.html')
  assert.equal(stored[1].page.path, '/fixtures/tag.html')
  assert.equal(stored[1].touch.medium, 'email')
  assert.equal((await ourCookies(context)).find((c) =>
    c.name === 'loopkit_id').value, stored[0].visitor_id)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a visitor who denies and then grants on the same page starts over ' +
  'as a new, anonymous visitor', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)

  await page.goto(collector.base +
    '/fixtures/tag.html?tag=debug&utm_source=start_over')
  assert.equal(await trackerReady(page), true)
  const [first] = await storedEvents('the first view', (e) =>
    e.touch.campaign.source === 'start_over')
  await page.evaluate(() => {
    window.loopkit('identify', { email: 'pat@start-over.example' })
    window.loopkit('consent', 'denied')
    window.loopkit('consent', 'granted')
    window.loopkit('track', 'after_starting_over')
    window.loopkit('lead', { form: 'start_over', fields: { company: 'X' } })
  })

  const [after] = await storedEvents('the track after the grant', (e) =>
    e.name === 'after_starting_over')
  assert.notEqual(after.visitor_id, first.visitor_id)
  assert.notEqual(after.session_id, first.session_id)
  assert.equal(after.page.path, '/fixtures/tag.html')
  const mine = await storedEvents('the new visitor\'s events', (e) =>
    e.visitor_id === after.visitor_id, 3)
  assert.deepEqual(mine.map((e) => e.type).sort(),
    ['lead', 'page_view', 'track'])
  const lead = mine.find((e) => e.type === 'lead')
  assert.equal(lead.props.email_sha256, undefined, 'no address carried over')
  const cookie = (await ourCookies(context)).find((c) =>
    c.name === 'loopkit_id')
  assert.equal(cookie.value, after.visitor_id)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('granted, denied and granted again before the core arrives, the page ' +
  'counts once for each visitor', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const release = await holdFirstCore(page)
  await page.goto(collector.base + required + '&utm_source=regrant')
  await page.waitForFunction(() => window.loopkit && window.loopkit.version)

  await page.evaluate(() => window.loopkit('consent', 'granted'))
  await poll('the first raw view', () => watch.bodies.length === 1)
  await page.evaluate(() => window.loopkit('consent', 'denied'))
  await page.evaluate(() => window.loopkit('consent', 'granted'))
  await poll('the second raw view', () => watch.bodies.length === 2)
  assert.equal(await stillLoading(page), 'loading')
  const [first, second] = watch.bodies.map((b) =>
    JSON.parse(b).raw_page_views[0])
  assert.notEqual(second.visitor_id, first.visitor_id)
  assert.notEqual(second.id, first.id)
  release()
  assert.equal(await trackerReady(page), true)

  const views = await storedEvents('the new visitor\'s view', (e) =>
    e.visitor_id === second.visitor_id && e.session_id.length === 36)
  assert.equal(views.length, 1)
  assert.equal(views[0].id, second.id)
  assert.equal(views[0].touch.campaign.source, 'regrant')
  await context.close()
})

test('a denial in one tab stops the other open tabs of the site', async () => {
  const a = await openPage()
  const { context } = a
  const b = await openPage({ context })
  for (const { page } of [a, b]) {
    await serveFixtures(page)
    await page.goto(collector.base + '/fixtures/tag.html?tag=debug')
    assert.equal(await trackerReady(page), true)
  }
  await coreViewSent(a.watch)
  const sentByB = await coreViewSent(b.watch)

  await a.page.evaluate(() => window.loopkit('consent', 'denied'))
  await poll('the other tab told', () => b.page.evaluate(() =>
    new Promise((resolve) => window.loopkit('score', resolve)))
    .then((score) => score === null))
  await b.page.evaluate(() => window.loopkit('track', 'in_the_other_tab'))
  await settle(b.page)

  assert.equal(b.watch.bodies.length, sentByB, 'nothing more sent')
  assert.deepEqual(await ourStorage(b.page), ['loopkit_opt_out'])
  assert.deepEqual(await ourCookies(context), [])
  assert.ok(b.watch.loopkitWarnings().includes(
    'loopkit: dropped an event: the visitor opted out'))
  await context.close()
})
