// Cross-domain links in a real browser: site A (127.0.0.1) and site B
// (localhost) are two origins with their own storage; a link from A to B
// carries A's visitor id, and B's events have the same visitor.
//
//   node --test tests/browser/crossdomain.test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  api, collector, openPage, poll, sentEvents, serveFixtures, trackerReady,
  useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

function sent(watch) {
  return sentEvents(watch.bodies)
}

async function visitorOf(watch) {
  const views = await poll('the page view sent', () => {
    const found = sent(watch).filter((e) => e.type === 'page_view')
    return found.length && found
  })
  return views[0].visitor_id
}

test('a link to a linked domain carries the visitor id, and the other ' +
  'site records the same visitor', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  const siteB = collector.base.replace('127.0.0.1', 'localhost')
  await page.goto(collector.base + '/fixtures/cross-a.html')
  assert.equal(await trackerReady(page), true)
  const visitorId = await visitorOf(watch)
  const navigations = []
  page.on('request', (request) => {
    if (request.isNavigationRequest()) navigations.push(request.url())
  })

  // A link elsewhere stays as it is.
  await page.dispatchEvent('#elsewhere', 'mousedown')
  assert.equal(await page.getAttribute('#elsewhere', 'href'),
    'https://elsewhere.example/')
  // Forms to site B: a GET form gets a hidden input (its query is
  // replaced by its fields), a POST form the parameter in its action. The
  // page cancels both submits, so only the decoration is seen.
  const forms = await page.evaluate(() => {
    document.addEventListener('submit', (e) => e.preventDefault())
    document.getElementById('get-form').requestSubmit()
    document.getElementById('post-form').requestSubmit()
    return {
      get: Object.fromEntries(new FormData(
        document.getElementById('get-form'))),
      post: document.getElementById('post-form').getAttribute('action'),
    }
  })
  const linkId = new RegExp('^' + visitorId + '\\.[0-9a-z]+$')
  assert.equal(forms.get.q, 'boots')
  assert.match(forms.get._lk, linkId)
  const post = new URL(forms.post)
  assert.equal(post.origin, siteB)
  assert.equal(post.searchParams.get('step'), '2')
  assert.match(post.searchParams.get('_lk'), linkId)

  await Promise.all([
    page.waitForURL(siteB + '/fixtures/cross-b.html**'),
    page.click('#to-b'),
  ])
  const arrival = new URL(navigations.find((u) => u.includes('cross-b')))
  assert.equal(arrival.searchParams.get('from'), 'a')
  assert.match(arrival.searchParams.get('_lk'), linkId)
  assert.equal(await trackerReady(page), true)

  const [view] = await poll('site B page view', async () => {
    const { events } = await api('/api/events?limit=200&bots=include')
    const found = events.filter((e) => e.site === 'cross-b' &&
      e.type === 'page_view')
    return found.length && found
  })
  assert.equal(view.visitor_id, visitorId)
  assert.ok(!JSON.stringify(view.page).includes('_lk'), 'link id recorded')
  // Site A is no referral source for B: the visit goes on.
  assert.notEqual(view.touch.referrer.medium, 'referral')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
