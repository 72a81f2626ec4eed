// Discount codes in a real browser: from the URL, a marked input and the
// API, each with the campaign in effect, and each code once per session.
//
//   node --test tests/browser/discount.test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  api, collector, openPage, poll, serveFixtures, trackerReady,
  useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

test('codes from the URL, an input and the API are recorded once each ' +
  'per session, with the campaign that brought the visitor', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + '/fixtures/discount.html?utm_source=' +
    'newsletter&utm_medium=email&utm_campaign=spring&promo=LAUNCH')
  assert.equal(await trackerReady(page), true)

  await page.fill('[data-loopkit-discount]', 'WELCOME10')
  await page.press('[data-loopkit-discount]', 'Tab') // change
  await page.fill('[data-loopkit-discount]', 'launch') // the URL's code
  await page.press('[data-loopkit-discount]', 'Enter') // submit
  await page.evaluate(() => {
    window.loopkit('discount', 'WELCOME10') // typed already
    window.loopkit('discount', ' SUMMER5 ')
  })

  const codes = await poll('three codes', async () => {
    const { events } = await api('/api/events?limit=200&bots=include')
    const mine = events.filter((e) => e.type === 'discount_code' &&
      e.site === 'discount')
    return mine.length >= 3 && mine
  })
  codes.sort((a, b) => a.time - b.time)

  assert.deepEqual(codes.map((e) => e.props), [
    { code: 'LAUNCH', via: 'url' },
    { code: 'WELCOME10', via: 'input' },
    { code: 'SUMMER5', via: 'api' },
  ])
  for (const e of codes) {
    assert.equal(e.touch.campaign.source, 'newsletter')
    assert.equal(e.touch.campaign.name, 'spring')
  }
  assert.equal(new Set(codes.map((e) => e.session_id)).size, 1)
  const warnings = watch.loopkitWarnings()
  assert.equal(warnings.length, 2, warnings.join('\n'))
  for (const warning of warnings) {
    assert.match(warning, /^loopkit: dropped discount_code: code already/)
  }
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
