// The demo dashboard in a real browser: what it tells a new user whose
// first visits came from a headless browser, which the core counts as a bot.
//
//   node --test tests/browser/dashboard.test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  api, collector, openPage, poll, useCollectorAndBrowser, userAgent,
} from './harness.mjs'

useCollectorAndBrowser()

test('the dashboard says bots\' events are kept apart when only bots came',
  async () => {
    // Chromium's own headless user agent, as a first test run would send.
    const headless = userAgent().replace('Chrome/', 'HeadlessChrome/')
    const bot = await openPage({ contextOptions: { userAgent: headless } })
    await bot.page.goto(collector.base + '/')
    const stored = await poll('the headless visit stored as a bot\'s',
      async () => {
        const summary = await api('/api/summary')
        return summary.bots.events > 0 && summary
      })
    await bot.context.close()
    assert.equal(stored.events, 0, 'no person came')

    const { context, page, watch } = await openPage()
    await page.goto(collector.base + '/dashboard.html')
    const note = page.locator('[data-bots]')
    await note.waitFor({ state: 'visible' })

    const count = stored.bots.events
    assert.equal(await note.textContent(), count + (count === 1
      ? ' event' : ' events') + ' from bots (crawlers, scripts, headless ' +
      'browsers) stored apart and not shown here or in the leads.')
    assert.equal(await page.locator('[data-events-empty]').isVisible(), true)
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })
