// CTA and link clicks in a real browser: marked and selected CTAs, outbound,
// mailto and tel links, positions, double clicks, links that unload.
//
//   node --test tests/browser/cta.test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  api, collector, databaseContains, openPage, poll, sentEvents,
  serveFixtures, trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

// Every event the page sent to /collect, as far as the request shows it.
function sent(watch) {
  return sentEvents(watch.bodies)
}

// Where the element is on the page, as the snippet measures it.
function position(page, selector) {
  return page.$eval(selector, (el) => {
    const box = el.getBoundingClientRect()
    return { x: Math.round(box.left + scrollX),
      y: Math.round(box.top + scrollY) }
  })
}

test('CTAs, selected elements and outbound, mailto and tel links each ' +
  'record one click with their position and no address', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + '/fixtures/cta.html')
  assert.equal(await trackerReady(page), true)

  await page.dblclick('[data-loopkit-cta="hero"]') // one event, not two
  const hero = await position(page, '[data-loopkit-cta="hero"]')
  await page.click('#pricing-cta')
  await page.click('a.signup')
  await page.click('a[href="#faq"]')
  await page.click('#write')
  await page.click('#marked-mail')
  await page.click('#call')
  const pricing = await position(page, '#pricing-cta')
  const partner = await position(page, '#partner')
  // The clicks so far go out with the next scheduled flush.
  await poll('the tel click sent', () =>
    sent(watch).some((e) => e.props.kind === 'tel'))
  // Routing holds back a beacon sent as the page unloads; the page has
  // everything it needs by now.
  await page.unrouteAll()
  const partnerSite = collector.base.replace('127.0.0.1', 'localhost')
  await Promise.all([
    page.waitForURL(partnerSite + '/**'),
    page.click('#partner'),
  ])

  // The click on the leaving link went out as the page unloaded.
  const stored = await poll('seven clicks', async () => {
    const { events } = await api('/api/events?limit=200&bots=include')
    const mine = events.filter((e) => e.type === 'cta_click' &&
      e.site === 'cta')
    return mine.length >= 7 && mine
  })
  stored.sort((a, b) => a.time - b.time)
  const props = stored.map((e) => e.props)

  assert.equal(stored.length, 7, props.map((p) => p.cta).join(', '))
  assert.deepEqual(props[0], { cta: 'hero', text: 'Start your free trial',
    kind: 'cta', ...hero })
  assert.ok(hero.y > 500, 'the hero sits below the fold: ' + hero.y)
  assert.deepEqual(props[1], { cta: 'pricing-cta', text: 'See plans',
    kind: 'cta', href: collector.base + '/fixtures/cta.html', ...pricing })
  assert.equal(props[2].cta, 'Sign up now', 'no id: the text')
  assert.equal(props[2].kind, 'cta')
  assert.deepEqual([props[3].cta, props[3].kind, props[3].href],
    ['mailto', 'mailto', undefined])
  assert.deepEqual([props[4].cta, props[4].kind, props[4].href],
    ['email-us', 'mailto', undefined])
  assert.deepEqual([props[5].cta, props[5].kind, props[5].text],
    ['tel', 'tel', ''])
  assert.deepEqual(props[6], { cta: 'localhost', text: 'Partner docs',
    kind: 'outbound', href: partnerSite + '/', ...partner })

  // Addresses and numbers appear nowhere: not on the wire, not on disk.
  // The six in-page clicks at least (a body sent while the page unloads
  // may not be readable here). The partner's own page, tracked too, may
  // send its URL with its query: only this page's events are looked at for
  // the link's query.
  const ours = sent(watch).filter((e) => e.site === 'cta')
  assert.ok(ours.filter((e) => e.type === 'cta_click').length >= 6)
  for (const needle of ['sales@example.com', 'hello@example.com',
    '5551234567', '555 123 4567', 'ref=abc']) {
    assert.ok(!JSON.stringify(ours).includes(needle), needle + ' sent')
    assert.ok(!JSON.stringify(stored).includes(needle), needle + ' stored')
    if (needle !== 'ref=abc') {
      assert.equal(databaseContains(needle), false, needle + ' on disk')
    }
  }
  // The double click's second half is expected, not worth a warning.
  assert.deepEqual(watch.loopkitWarnings(), [])
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
