// The snippet under Content Security Policies: the documented one, one
// without 'wasm-unsafe-eval' (page views still arrive, classified by the
// collector), and the ES module entry.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  collector, openPage, serveFixtures, storedEvents, storedVisitor,
  trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

const DOCUMENTED = "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"

test('under the documented CSP the snippet runs with no violation',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page, { csp: DOCUMENTED })

    await page.goto(collector.base +
      '/fixtures/tag.html?utm_source=documented_csp')
    assert.equal(await trackerReady(page), true)

    const [view] = await storedEvents('the view', (e) =>
      e.touch.campaign.source === 'documented_csp')
    assert.equal(view.type, 'page_view')
    assert.deepEqual(watch.problems(), [])
    assert.deepEqual(watch.loopkitWarnings(), [])
    await context.close()
  })

test('without wasm-unsafe-eval one warning, and a raw page view the ' +
  'collector classifies with its campaign', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page, { csp: "script-src 'self'; connect-src 'self'" })

  await page.goto(collector.base + '/fixtures/tag.html?utm_source=no_wasm' +
    '&utm_medium=email&utm_campaign=fallback',
  { referer: 'https://www.google.com/' })
  assert.equal(await trackerReady(page), false)
  await page.evaluate(() => history.pushState({}, '', '/fixtures/app/next'))

  const visitor = await storedVisitor(page)
  assert.match(visitor, /^[A-Za-z0-9_-]{8,64}$/)
  const views = await storedEvents('two raw views', (e) =>
    e.visitor_id === visitor, 2)
  assert.deepEqual(views.map((e) => [e.type, new URL(e.page.url).pathname]),
    [['page_view', '/fixtures/tag.html'], ['page_view', '/fixtures/app/next']])
  for (const view of views) {
    assert.equal(view.touch.campaign.source, 'no_wasm')
    assert.equal(view.touch.campaign.name, 'fallback')
    assert.equal(view.touch.channel, 'Email')
    assert.equal(view.site, 'fixture')
  }
  assert.equal(views[1].page.referrer, views[0].page.url)
  assert.equal(await page.evaluate(() => localStorage.getItem('loopkit_views')),
    null, 'no view kept for a core that cannot run')
  const warnings = watch.loopkitWarnings()
  assert.equal(warnings.length, 1, warnings.join('\n'))
  assert.match(warnings[0], /core did not load, sending page views only/)
  assert.deepEqual(watch.pageErrors, [])
  assert.ok(watch.csp.every((v) => /wasm-eval|script-src/.test(v)),
    watch.csp.join('\n'))
  await context.close()
})

test('a module script that imports loopkit.mjs sends a page view',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page, { csp: DOCUMENTED })

    await page.goto(collector.base + '/fixtures/module.html')
    assert.equal(await trackerReady(page), true)

    const visitor = await storedVisitor(page)
    const stored = await storedEvents('the view and the track event',
      (e) => e.visitor_id === visitor, 2)
    const [track, view] = stored.sort((a, b) => a.type < b.type ? 1 : -1)
    assert.deepEqual([view.type, view.site], ['page_view', 'module-fixture'])
    assert.equal(view.page.path, '/fixtures/module.html')
    assert.deepEqual([track.type, track.name, track.site, track.props],
      ['track', 'module_loaded', 'module-fixture', { entry: 'mjs' }])
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })
