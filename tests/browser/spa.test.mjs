// Page views of a single-page app: history changes that move to another
// route count once, and nothing else does.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  collector, openPage, poll, serveFixtures, storedEvents, storedVisitor,
  trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

test('pushState, popstate and hash routes record a view each; a replace ' +
  'to the same URL and a push replaced at once do not add one', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const base = collector.base + '/fixtures/'
  const queuedViews = () => watch.infos
    .filter((line) => line.startsWith('loopkit: queued page_view')).length
  const step = async (views, work) => {
    await page.evaluate(work)
    await poll(views + ' views queued', () => queuedViews() === views)
  }

  await page.goto(base + 'tag.html?tag=debug')
  assert.equal(await trackerReady(page), true)
  await poll('the first view', () => queuedViews() === 1)
  await step(2, () => history.pushState({}, '', '/fixtures/app/pricing'))
  await step(2, () => history.replaceState({}, '', '/fixtures/app/pricing'))
  await step(3, () => {
    history.pushState({}, '', '/fixtures/app/signup')
    history.replaceState({}, '', '/fixtures/app/signup?step=1')
  })
  await step(4, () => history.back())
  await step(4, () => { location.hash = 'anchor' }) // not a route
  await step(5, () => { location.hash = '#/settings' })
  // One more view, to be sure nothing was still pending before it.
  await step(6, () => history.pushState({}, '', '/fixtures/app/done'))

  const visitor = await storedVisitor(page)
  const views = await storedEvents('six views', (e) =>
    e.visitor_id === visitor && e.type === 'page_view', 6)
  const path = (href) => {
    const url = new URL(href)
    return url.pathname + url.search + url.hash
  }
  assert.deepEqual(views.map((e) => path(e.page.url)), [
    '/fixtures/tag.html?tag=debug',
    '/fixtures/app/pricing',
    '/fixtures/app/signup?step=1',
    '/fixtures/app/pricing',
    '/fixtures/app/pricing#/settings',
    '/fixtures/app/done',
  ])
  assert.deepEqual(views.slice(1).map((e) => path(e.page.referrer)),
    views.slice(0, -1).map((e) => path(e.page.url)),
    'each view\'s referrer is the view before')
  assert.equal(new Set(views.map((e) => e.session_id)).size, 1)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
