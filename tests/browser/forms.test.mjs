// Lead forms in a real browser: CRM hidden fields filled from the first
// touch, secrets never read, forms submitted by script, loopkit('lead').
//
//   node --test tests/browser/forms.test.mjs
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'

import {
  api, collector, databaseContains, openPage, poll, serveFixtures,
  trackerReady, useCollectorAndBrowser,
} from './harness.mjs'

useCollectorAndBrowser()

const CAMPAIGN_ID = '701000000000001AAA' // a Salesforce Campaign record id
const LANDING = '/fixtures/crm-landing.html?utm_source=linkedin' +
  '&utm_medium=paid_social&utm_campaign=q3_launch&utm_id=' + CAMPAIGN_ID

// The stored events that match, once there are at least count of them.
async function storedEvents(what, match, count = 1) {
  return poll(what, async () => {
    const { events } = await api('/api/events?limit=500&bots=include')
    const found = events.filter(match)
    return found.length >= count && found
  })
}

// Submits form (clicking its button, as a visitor would) and returns what
// it would have sent; the page's own listener cancels the submit after
// loopkit's capture-phase one has run, so nothing leaves the page.
async function submitAndRead(page, selector) {
  await page.evaluate((selector) => {
    const form = document.querySelector(selector)
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      window.submitted = Object.fromEntries(new FormData(form))
    }, { once: true })
  }, selector)
  await page.click(selector + ' [type="submit"]')
  return page.evaluate(() => window.submitted)
}

// Opens a fresh visitor on the campaign landing page and walks two pages
// on to the CRM forms, by clicking links.
async function walkToForms() {
  const opened = await openPage()
  const { page } = opened
  await serveFixtures(page)
  // Safety net: the Salesforce form's real action is never contacted.
  await page.route('https://webto.salesforce.com/**',
    (route) => route.fulfill({ body: 'not sent' }))

  await page.goto(collector.base + LANDING)
  assert.equal(await trackerReady(page), true)
  for (const next of ['**/crm-middle.html', '**/crm-forms.html']) {
    await Promise.all([page.waitForURL(next), page.click('#next')])
    assert.equal(await trackerReady(page), true)
  }
  return opened
}

test('each CRM preset submits the UTMs of the landing page two pages ' +
  'earlier, and a value the visitor typed stays', async () => {
  const { context, page, watch } = await walkToForms()

  await page.fill('.hs-form [name="firstname"]', 'Ada')
  await page.fill('.hs-form [name="email"]', 'ada@example.net')
  await page.fill('.hs-form [name="jobtitle"]', 'CTO')
  await page.fill('.hs-form [name="utm_content"]', 'typed-by-visitor')
  const hubspot = await submitAndRead(page, '.hs-form')
  await page.fill('.mktoForm [name="FirstName"]', 'Grace')
  await page.fill('.mktoForm [name="Title"]', 'Head of Ops')
  await page.fill('.mktoForm [name="NumberOfEmployees"]', '51-200')
  const marketo = await submitAndRead(page, '.mktoForm')
  await page.fill('#w2l [name="last_name"]', 'Hopper')
  await page.fill('#w2l [name="company"]', 'Navy Labs')
  const salesforce = await submitAndRead(page, '#w2l')

  const leads = await storedEvents('three leads',
    (e) => e.type === 'lead' && e.site === 'fixture' &&
      ['hsForm_1a2b', 'mktoForm_1057', 'w2l'].includes(e.props.form), 3)
  assert.equal(leads.length, 3)
  const visitorId = leads[0].visitor_id
  const views = await storedEvents('the landing view', (e) =>
    e.visitor_id === visitorId && e.type === 'page_view')
  const landing = views.find((e) =>
    e.page.path === '/fixtures/crm-landing.html')
  const channel = landing.touch.channel
  assert.ok(channel, 'the landing touch has a channel')

  assert.equal(hubspot.utm_source, 'linkedin')
  assert.equal(hubspot.utm_medium, 'paid_social')
  assert.equal(hubspot.utm_campaign, 'q3_launch')
  assert.equal(hubspot.utm_content, 'typed-by-visitor')
  assert.equal(hubspot.hs_google_click_id, '')
  assert.equal(hubspot.loopkit_visitor_id, visitorId)

  assert.equal(marketo.utmsource, 'linkedin')
  assert.equal(marketo.UTM_Medium__c, 'paid_social')
  assert.equal(marketo.utmcampaign, 'q3_launch')
  assert.equal(marketo.LeadSource, channel)

  assert.equal(salesforce.utm_source__c, 'linkedin')
  assert.equal(salesforce.utm_campaign__c, 'q3_launch')
  assert.equal(salesforce.lead_source, channel)
  assert.equal(salesforce.Campaign_ID, CAMPAIGN_ID)
  assert.equal(salesforce.oid, '00D000000000001', 'the org id is untouched')
  assert.equal(salesforce['00N000000000001'], visitorId)

  // The lead fields, mapped from each vendor's names.
  const byForm = Object.fromEntries(leads.map((e) => [e.props.form, e]))
  assert.deepEqual(byForm.hsForm_1a2b.props.fields,
    { first_name: 'Ada', job_title: 'CTO' })
  assert.deepEqual(byForm.mktoForm_1057.props.fields,
    { first_name: 'Grace', job_title: 'Head of Ops', company_size: '51-200' })
  assert.deepEqual(byForm.w2l.props.fields,
    { last_name: 'Hopper', company: 'Navy Labs' })
  assert.equal(byForm.hsForm_1a2b.props.email_domain, 'example.net')
  for (const lead of leads) {
    assert.equal(lead.touch.campaign.source, 'linkedin', 'first touch kept')
  }

  for (const body of watch.bodies) {
    assert.ok(!body.includes('ada@example.net'), 'raw email in ' + body)
  }
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a form HubSpot renders after load gets its hidden fields without ' +
  'a submit', async () => {
  const { context, page, watch } = await walkToForms()

  await page.evaluate(() => window.addLateForm())
  const values = await poll('the late form filled', () => page.evaluate(() => {
    const form = document.getElementById('hsForm_late')
    const source = form.elements.utm_source.value
    return source && [source, form.elements.utm_campaign.value]
  }))

  assert.deepEqual(values, ['linkedin', 'q3_launch'])
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('password, card and one-time-code fields are never sent, whatever ' +
  'their names', async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + '/fixtures/lead-secrets.html')
  assert.equal(await trackerReady(page), true)

  const secrets = {
    '[name="company"]': 'hunter2-password-value',
    '[name="company_size"]': '4111111111111111',
    '[name="country"]': '918273',
    '[name="job_title"]': 'cvc-737-value',
    '[name="first_name"]': 'otp-code-value',
    '[name="name"]': 'iban-de89370400440532013000',
  }
  for (const [selector, value] of Object.entries(secrets)) {
    await page.fill('#checkout ' + selector, value)
  }
  await page.fill('#checkout [name="last_name"]', 'Lovelace')
  await page.fill('#checkout [name="email"]', 'ada@example.org')
  await page.evaluate(() => {
    document.querySelector('[name="hidden_company"]').name = 'company'
  })
  await submitAndRead(page, '#checkout')

  const [lead] = await storedEvents('the checkout lead',
    (e) => e.type === 'lead' && e.props.form === 'checkout')
  assert.deepEqual(lead.props.fields, { last_name: 'Lovelace' })
  assert.equal(lead.props.email_domain, 'example.org')

  const needles = [...Object.values(secrets), 'hidden-field-value',
    'ada@example.org']
  assert.ok(watch.bodies.some((b) => b.includes('"lead"')), 'lead sent')
  for (const needle of needles) {
    for (const body of watch.bodies) {
      assert.ok(!body.includes(needle), needle + ' in ' + body)
    }
    assert.equal(databaseContains(needle), false, needle + ' in the database')
  }
  assert.equal(databaseContains('lovelace'), true, 'reads the right file')
  assert.deepEqual(watch.problems(), [])
  await context.close()
})

test('a form an SPA submits by script with requestSubmit is a lead, and ' +
  "loopkit('lead') records one without a form", async () => {
  const { context, page, watch } = await openPage()
  await serveFixtures(page)
  await page.goto(collector.base + '/fixtures/spa-form.html')
  assert.equal(await trackerReady(page), true)

  await page.fill('#contact [name="full_name"]', 'Linus T')
  await page.fill('#contact [name="org"]', 'Kernel Co')
  await page.click('#send') // the app calls form.requestSubmit()
  await page.waitForURL('**/spa-form.html#sent')
  await page.evaluate(() => window.loopkit('lead', {
    form: 'webinar',
    email: ' Lee@Example.COM',
    fields: { firstname: 'Lee', jobtitle: 'VP Sales', favourite: 'blue' },
  }))

  const leads = await storedEvents('two leads', (e) => e.type === 'lead' &&
    ['contact', 'webinar'].includes(e.props.form) && e.site === 'spa', 2)
  const byForm = Object.fromEntries(leads.map((e) => [e.props.form, e]))
  // data-lead-fields maps the app's own names: org is the company.
  assert.deepEqual(byForm.contact.props.fields,
    { name: 'Linus T', company: 'Kernel Co' })
  assert.deepEqual(byForm.webinar.props.fields,
    { first_name: 'Lee', job_title: 'VP Sales' })
  const hash = createHash('sha256').update('lee@example.com').digest('hex')
  assert.equal(byForm.webinar.props.email_sha256, hash)
  assert.equal(byForm.webinar.props.email, undefined)
  assert.equal(await page.evaluate(() => window.appSent), 1)

  for (const body of watch.bodies) {
    assert.ok(!body.toLowerCase().includes('lee@example.com'), body)
  }
  assert.equal(databaseContains('lee@example.com'), false)
  assert.deepEqual(watch.problems(), [])
  await context.close()
})
