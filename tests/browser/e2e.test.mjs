// The whole loop in a real browser: the demo site with the snippet and the
// WebAssembly core, served by the native collector, then read back through
// the collector's API and its SQLite file.
//
//   node --test tests/browser/
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'

import {
  api, collector, databaseContains, openPage, poll, serveFixtures,
  storedEvents, trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

const SEARCH_REFERRER = 'https://www.google.com/search?q=invoicing+software'
const LANDING_QUERY = '/?utm_source=newsletter&utm_medium=email' +
  '&utm_campaign=spring_launch&discount=SPRING20'
const RAW_EMAIL = 'Jane.Doe@Example.com '

useCollectorAndBrowser()

// ---- the journey -----------------------------------------------------------

test('an email visitor who views pricing and signs up becomes a hot MQL ' +
  'with the same score in the page and in the collector', async () => {
  const { context, page, watch } = await openPage()

  const response = await page.goto(collector.base + LANDING_QUERY,
    { referer: SEARCH_REFERRER })
  // The no-violation check below means something only under a strict CSP.
  assert.match(response.headers()['content-security-policy'],
    /script-src 'self' 'wasm-unsafe-eval'/)
  assert.equal(await trackerReady(page), true)
  await page.click('[data-loopkit-cta="hero-trial"]')

  await Promise.all([
    page.waitForURL('**/pricing.html'),
    page.click('nav a[href="/pricing.html"]'),
  ])
  assert.equal(await trackerReady(page), true)
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/' && url.hash === '#signup'),
    page.click('[data-loopkit-cta="plan-studio"]'),
  ])
  assert.equal(await trackerReady(page), true)

  // The same code as in the landing URL: the core keeps one per session.
  await page.fill('input[name="name"]', 'Jane Doe')
  await page.fill('input[name="email"]', RAW_EMAIL)
  await page.fill('input[name="company"]', 'Acme Studio')
  await page.fill('input[name="job_title"]', 'CTO')
  await page.fill('input[data-loopkit-discount]', 'SPRING20')
  await page.evaluate(() => {
    // Runs after loopkit's capture-phase listener: what a CRM would get.
    const form = document.querySelector('[data-loopkit-form="signup"]')
    form.addEventListener('submit', () => {
      window.submittedFields = Object.fromEntries(new FormData(form))
    })
  })
  await page.click('[data-loopkit-form="signup"] button[type="submit"]')
  await page.waitForSelector('[data-demo-thanks]:not([hidden])')
  const submitted = await page.evaluate(() => window.submittedFields)
  const pageScore = await page.evaluate(() => window.loopkit.score())

  const events = await poll('the lead event', async () => {
    const { events } = await api('/api/events?limit=100')
    return events.some((e) => e.type === 'lead') && events
  })
  const visitorId = events.find((e) => e.type === 'lead').visitor_id
  const mine = events.filter((e) => e.visitor_id === visitorId)
  const ofType = (type) => mine.filter((e) => e.type === type)
  const leads = await poll('the lead', async () => {
    const { leads } = await api('/api/leads')
    return leads.some((l) => l.visitor_id === visitorId) && leads
  })
  const lead = leads.find((l) => l.visitor_id === visitorId)

  // One visitor and one session across the three pages.
  assert.equal(mine.length, 8, 'page views 3, CTA clicks 2, discount 1, ' +
    'lead 1, status change 1: ' + mine.map((e) => e.type).join(', '))
  assert.equal(new Set(mine.map((e) => e.session_id)).size, 1)
  assert.ok(mine.every((e) => e.received_at), 'every event has received_at')
  assert.ok(mine.every((e) => e.site === 'demo'))

  const views = ofType('page_view').sort((a, b) => a.time - b.time)
  assert.deepEqual(views.map((e) => e.page.path), ['/', '/pricing.html', '/'])
  const landing = views[0]
  assert.equal(landing.touch.campaign.source, 'newsletter')
  assert.equal(landing.touch.campaign.medium, 'email')
  assert.equal(landing.touch.campaign.name, 'spring_launch')
  assert.equal(landing.touch.campaign.discount_code, 'SPRING20')
  assert.equal(landing.touch.referrer.medium, 'search')
  assert.equal(landing.touch.referrer.source, 'Google')
  assert.equal(landing.page.title, 'Ledgerly — invoicing for small agencies')

  const clicks = ofType('cta_click').sort((a, b) => a.time - b.time)
  // Positions depend on the demo's layout; cta.test.mjs pins them.
  assert.deepEqual(clicks.map(({ props: { x, y, ...rest } }) => rest), [
    { cta: 'hero-trial', text: 'Start your 14-day free trial', kind: 'cta',
      href: collector.base + '/' },
    { cta: 'plan-studio', text: 'Try Studio', kind: 'cta',
      href: collector.base + '/' },
  ])
  assert.ok(clicks.every((e) => Number.isInteger(e.props.x) &&
    Number.isInteger(e.props.y)))

  const discounts = ofType('discount_code')
  assert.equal(discounts.length, 1, 'the typed SPRING20 is a repeat')
  assert.equal(discounts[0].props.code, 'SPRING20')

  const emailHash = createHash('sha256').update('jane.doe@example.com')
    .digest('hex')
  const [leadEvent] = ofType('lead')
  assert.equal(leadEvent.props.form, 'signup')
  assert.equal(leadEvent.props.email, undefined, 'raw email dropped')
  assert.equal(lead.email_sha256, emailHash)
  assert.equal(lead.form, 'signup')
  assert.deepEqual(lead.fields,
    { name: 'Jane Doe', company: 'Acme Studio', job_title: 'CTO' })

  // The demo scoring.json on this journey. Fit, from the lead form:
  //   decision_maker    20                (CTO)
  //   work_email        15                (example.com is no free mail)
  //   20 + 15 = 35 >= 25: grade B
  // Engagement, each event a few seconds old, so a 30-day half-life takes
  // nothing off (less than half a hundredth of a point):
  //   visited_pricing   15, once          (1 pricing view)
  //   clicked_cta        5 x 2 clicks = 10 (cap 15)
  //   used_discount     10, once          (SPRING20 from the URL)
  //   from_email        10, once          (3 views carry the Email touch)
  //   submitted_form    30, once
  //   engaged_visit     10                (3 page views within an hour)
  //   active_this_week   5                (the lead, just now)
  //   15 + 10 + 10 + 10 + 30 + 10 + 5 = 90 >= 60: hot
  // B and hot pass the mql status (B and warm): one status_change event.
  const because = (rule, score, description, points, count, events) =>
    ({ rule, score, description, points, before_decay: points, count,
      events: events.map((e) => e.id) })
  const expected = {
    points: 125,
    fit: 35,
    engagement: 90,
    grade: 'B',
    stage: 'hot',
    status: 'mql',
    reasons: [
      because('decision_maker', 'fit',
        'Decides on tools: founder, C-level, VP, head, director', 20, 1,
        [leadEvent]),
      because('work_email', 'fit', 'Signed up with a company address', 15, 1,
        [leadEvent]),
      because('visited_pricing', 'engagement', 'Viewed the pricing page', 15,
        1, [views[1]]),
      because('clicked_cta', 'engagement', 'Clicked a call to action', 10, 2,
        [clicks[1], clicks[0]]),
      because('used_discount', 'engagement', 'Used a discount code', 10, 1,
        discounts),
      because('from_email', 'engagement', 'Came from an email campaign', 10,
        3, [views[2]]),
      because('submitted_form', 'engagement', 'Submitted a lead form', 30, 1,
        [leadEvent]),
      because('engaged_visit', 'engagement', 'Viewed 3 pages within an hour',
        10, 3, [views[2], views[1], views[0]]),
      because('active_this_week', 'engagement', 'Active in the last 7 days',
        5, 1, [leadEvent]),
    ],
  }
  assert.deepEqual(lead.score, expected)
  assert.equal(lead.page_score, expected.points)
  assert.equal(leadEvent.props.score, expected.points)
  assert.equal(leadEvent.props.email_domain, 'example.com')
  assert.deepEqual(pageScore, expected)
  const [change] = ofType('status_change')
  assert.deepEqual(change.props, { from: '', to: 'mql', points: 125, fit: 35,
    engagement: 90, grade: 'B', stage: 'hot' })
  assert.ok(change.time >= leadEvent.time)

  // The hidden fields as the form submitted them.
  assert.equal(submitted.utm_source, 'newsletter')
  assert.equal(submitted.utm_medium, 'email')
  assert.equal(submitted.utm_campaign, 'spring_launch')
  assert.equal(submitted.discount_code, 'SPRING20')
  assert.equal(submitted.visitor_id, visitorId)
  assert.equal(submitted.lead_score, String(expected.points))
  assert.equal(submitted.lead_fit, '35')
  assert.equal(submitted.lead_engagement, '90')
  assert.equal(submitted.lead_grade, 'B')
  assert.equal(submitted.lead_stage, 'hot')
  assert.equal(submitted.lead_status, 'mql')

  // The raw email never leaves the page: not on the wire, not on disk.
  const needle = RAW_EMAIL.trim().toLowerCase()
  assert.ok(watch.bodies.length > 0, 'events were sent to /collect')
  for (const body of watch.bodies) {
    assert.ok(!body.toLowerCase().includes(needle), 'raw email in ' + body)
  }
  assert.equal(databaseContains(emailHash), true, 'reads the right file')
  assert.equal(databaseContains(needle), false, 'raw email in the database')

  // The demo sets data-debug: the typed repeat is dropped, and said so.
  const warnings = watch.loopkitWarnings()
  assert.equal(warnings.length, 1, warnings.join('\n'))
  assert.match(warnings[0], /^loopkit: dropped discount_code: /)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

// ---- live scoring ----------------------------------------------------------

test('the score, grade and stage change in the page as the visitor acts, ' +
  'and the hidden fields hold what the collector computes', async () => {
  const { context, page, watch } = await openPage()
  const html = (name) => page.getAttribute('html', 'data-loopkit-' + name)
  const shown = async () => [await html('grade'), await html('stage'),
    await html('status')]

  // Demo model, no campaign: active this week 5. Engagement cold, fit D.
  await page.goto(collector.base + '/')
  assert.equal(await trackerReady(page), true)
  assert.deepEqual(await shown(), ['D', 'cold', ''])

  // Pricing: + visited_pricing 15 = 20, still cold.
  await Promise.all([page.waitForURL('**/pricing.html'),
    page.click('nav a[href="/pricing.html"]')])
  assert.equal(await trackerReady(page), true)
  assert.equal((await page.evaluate(() => window.loopkit.score())).engagement,
    20)
  assert.deepEqual(await shown(), ['D', 'cold', ''])

  // Back home, the third view within the hour: + engaged_visit 10 = 30, warm.
  await Promise.all([page.waitForURL((url) => url.pathname === '/'),
    page.click('a.logo')])
  assert.equal(await trackerReady(page), true)
  assert.deepEqual(await shown(), ['D', 'warm', ''])
  assert.equal(await page.isVisible('[data-demo-sales-cta]'), false)

  // From here on, the page's listener records every change.
  await page.evaluate(() => {
    window.heard = []
    window.loopkit('on', 'score', (s) => window.heard.push(s))
  })
  await page.click('[data-loopkit-cta="hero-trial"]')  // + 5 = 35
  await page.waitForFunction(() => window.heard.length === 2)

  await page.fill('input[name="name"]', 'Ada Lovelace')
  await page.fill('input[name="email"]', 'Ada@Analytical.Example')
  await page.fill('input[name="job_title"]', 'Head of Design')
  await page.selectOption('select[name="company_size"]', '11-50')
  await page.evaluate(() => {
    const form = document.querySelector('[data-loopkit-form="signup"]')
    form.addEventListener('submit', () => {
      window.submittedFields = Object.fromEntries(new FormData(form))
    })
  })
  await page.click('[data-loopkit-form="signup"] button[type="submit"]')
  await page.waitForSelector('[data-demo-thanks]:not([hidden])')

  // Fit: decision_maker 20 + agency_size 15 + work_email 15 = 50, grade A.
  // Engagement: + submitted_form 30 = 65, hot. A and hot: an MQL.
  const heard = await page.evaluate(() => window.heard)
  assert.deepEqual(heard.map((s) => [s.fit, s.engagement, s.stage]),
    [[0, 30, 'warm'], [0, 35, 'warm'], [50, 65, 'hot']])
  assert.deepEqual(await shown(), ['A', 'hot', 'mql'])
  assert.equal(await page.isVisible('[data-demo-sales-cta]'), true,
    'the CSS shows the sales offer to hot leads')

  const submitted = await page.evaluate(() => window.submittedFields)
  const pageScore = await page.evaluate(() => window.loopkit.score())
  const lead = await poll('the lead in the collector', async () => {
    const { leads } = await api('/api/leads')
    return leads.find((l) => l.visitor_id === submitted.visitor_id)
  })
  assert.deepEqual(lead.score, pageScore)
  assert.deepEqual(lead.fields, { name: 'Ada Lovelace',
    job_title: 'Head of Design', company_size: '11-50' })
  assert.deepEqual(
    [submitted.lead_score, submitted.lead_fit, submitted.lead_engagement,
      submitted.lead_grade, submitted.lead_stage, submitted.lead_status],
    [lead.score.points, lead.score.fit, lead.score.engagement,
      lead.score.grade, lead.score.stage, lead.score.status].map(String))
  assert.deepEqual(submitted.lead_score, '115')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

// ---- failure modes ---------------------------------------------------------

test('the page keeps working when the WebAssembly core cannot load',
  async () => {
    const { context, page, watch } = await openPage({ allowFailedLoads: true })
    await page.route('**/loopkit/loopkit-page.wasm', (r) => r.abort())

    await page.goto(collector.base + '/')

    assert.equal(await trackerReady(page), false)
    assert.equal(await page.evaluate(() => window.loopkit.score()), null)
    await page.evaluate(() => window.loopkit('track', 'after_failure'))
    await page.click('[data-loopkit-cta="hero-trial"]')
    assert.equal(watch.loopkitWarnings().length, 1, watch.warnings.join('\n'))
    assert.match(watch.loopkitWarnings()[0], /core did not load/)
    assert.deepEqual(watch.pageErrors, [])
    assert.deepEqual(watch.csp, [])
    await context.close()
  })

test('a server that sends the core as another type still gets the core ' +
  'compiled and the page view classified', async () => {
  const { context, page, watch } = await openPage()
  // Streaming compilation needs application/wasm; without it the bytes
  // are compiled once they are all there.
  await page.route('**/loopkit/loopkit-page.wasm', async (route) => {
    const response = await route.fetch()
    route.fulfill({ response, contentType: 'application/octet-stream' })
  })

  await page.goto(collector.base + '/?utm_source=octet_stream&utm_medium=email')

  assert.equal(await trackerReady(page), true)
  const [view] = await storedEvents('the view', (e) =>
    e.touch.campaign.source === 'octet_stream')
  assert.equal(view.type, 'page_view')
  assert.equal(view.touch.channel, 'Email')
  assert.deepEqual(watch.loopkitWarnings(), [])
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a broken scoring model logs one warning and the default model scores',
  async () => {
    const { context, page, watch } = await openPage()
    await page.route('**/loopkit/scoring.json', (r) => r.fulfill({
      contentType: 'application/json',
      body: '{"version":1,"rules":[{"id":"x","points":"lots"}]}',
    }))

    await page.goto(collector.base + '/pricing.html')

    assert.equal(await trackerReady(page), true)
    const warnings = watch.loopkitWarnings()
    assert.equal(warnings.length, 1, warnings.join('\n'))
    assert.match(warnings[0], /scoring model ignored/)
    const score = await page.evaluate(() => window.loopkit.score())
    assert.ok(score && typeof score.points === 'number')
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })

test('calls queued by the stub before loopkit.js loads are replayed',
  async () => {
    const { context, page, watch } = await openPage()
    await serveFixtures(page)

    await page.goto(collector.base + '/fixtures/stub.html')
    assert.equal(await trackerReady(page), true)

    const tracked = await poll('the queued track event', async () => {
      const { events } = await api('/api/events?limit=100')
      return events.find((e) => e.name === 'queued_before_load')
    })
    assert.equal(tracked.type, 'track')
    assert.equal(tracked.site, 'fixture')
    assert.deepEqual(tracked.props, { plan: 'studio' })
    assert.equal(await page.textContent('#score'), 'score received')
    assert.deepEqual(watch.problems(), [])
    await context.close()
  })

test('tracking works in memory when storage is blocked', async () => {
  const { context, page, watch } = await openPage()
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('blocked', 'SecurityError') },
    })
  })

  await page.goto(collector.base + '/?utm_source=blocked_storage')
  assert.equal(await trackerReady(page), true)
  await page.click('[data-loopkit-cta="hero-trial"]')

  const sent = await poll('events from a page without storage', async () => {
    const { events } = await api('/api/events?limit=100')
    const view = events.find((e) =>
      e.touch.campaign.source === 'blocked_storage')
    const mine = view &&
      events.filter((e) => e.visitor_id === view.visitor_id)
    // The page view is sent at once, the click in a later batch.
    return mine && mine.length >= 2 && mine
  })
  assert.deepEqual(sent.map((e) => e.type).sort(), ['cta_click', 'page_view'])
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
