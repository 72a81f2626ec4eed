// Hidden form fields a CRM reads: the generic data-loopkit-fill="<key>" and
// presets that know the field names HubSpot, Marketo and Salesforce
// Web-to-Lead forms usually carry, all filled from the core's fillValues()
// (persisted first and last touch, visitor id, live score).

// Field names are compared squashed: lower case, letters and digits only,
// without Salesforce's "__c" custom-field suffix. So "utm_source",
// "utmsource", "UTM_Source__c" and "utmSource" are one name, which covers
// the spellings each vendor's admins tend to pick for the same field.
export function squash(name) {
  return String(name).replace(/__c$/i, '').toLowerCase().replace(/[^a-z0-9]/g,
    '')
}

// Names every preset fills, squashed, with the fillValues key they get:
// utmsource is utm_source, firstutmsource and originalutmsource are
// first_utm_source. The utm_* names are the convention each vendor's guides
// use for custom hidden fields; the loopkit_* ones are ours, for admins who
// add them.
const COMMON = {}
for (const part of ['source', 'medium', 'campaign', 'term', 'content']) {
  COMMON['utm' + part] = 'utm_' + part
  COMMON['firstutm' + part] = COMMON['originalutm' + part] =
    'first_utm_' + part
}
for (const key of ['gclid', 'msclkid', 'fbclid', 'landing_page',
  'first_landing_page']) COMMON[squash(key)] = key
for (const key of ['visitor_id', 'lead_score', 'lead_grade', 'lead_stage',
  'lead_status', 'channel']) COMMON['loopkit' + squash(key)] = key

// HubSpot: UTMs go into custom contact properties named after the
// parameters; the default property "Google ad click id"
// (hs_google_click_id) holds the gclid.
// https://terminus-marketing.netlify.app/blog/hubspot-utm-tracking-definitive-guide/
// https://knowledge.hubspot.com/ads/create-and-sync-ad-conversion-events-with-your-google-ads-account
//
// Marketo: a form field's name is the field's API name, hidden fields take
// their value from the URL or by script, UTM fields are custom (utmsource,
// or UTM_Source__c when synced from Salesforce) and "LeadSource" is the
// standard Lead Source field.
// https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/demand-generation/landing-pages/personalizing-landing-pages/using-the-url-builder
// https://blog.teknkl.com/yes-multiple-query-params-can-have-the-same-name-and-no-you-probably-dont
//
// Salesforce Web-to-Lead: the generated form posts "lead_source" (the Lead
// Source picklist) and, to add the lead to a campaign, "Campaign_ID" with a
// Campaign record id; custom fields post under their API name
// (utm_source__c) or a field id only data-loopkit-fill can target.
// https://micropyramid.com/blog/how-to-configure-web-to-lead-generation-in-salesforce/
// https://terminus-marketing.netlify.app/blog/salesforce-utm-capture-lead-source-attribution/
const PRESETS = {
  hubspot: { hsgoogleclickid: 'gclid' },
  marketo: { leadsource: 'first_channel' },
  salesforce: { leadsource: 'first_channel', campaignid: 'utm_id' },
}

// A Campaign record id: key prefix 701, 15 or 18 characters. Campaign_ID gets
// utm_id only when it holds one; anything else would make Salesforce drop
// the campaign membership.
const CAMPAIGN_ID = /^701[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/

const NOT_FILLABLE =
  /^(submit|button|reset|image|checkbox|radio|file|password)$/

// Which preset a form's markup belongs to, from what each vendor's embed
// code renders; '' for none.
export function detectCrm(form) {
  const action = form.getAttribute('action') || ''
  if (form.matches('.hs-form, [id^="hsForm_"]') ||
    /\.hsforms\.com\/|forms\.hubspot\.com\//.test(action)) return 'hubspot'
  if (form.matches('.mktoForm, [id^="mktoForm_"]')) return 'marketo'
  if (/servlet\.WebToLead/i.test(action)) return 'salesforce'
  return ''
}

export function createFiller(ctx) {
  const setting = ctx.settings.crm // 'auto', 'off' or a preset's name
  // Values we wrote, per field: a field still holding one is ours to update;
  // any other value was typed by the visitor (or set by the site) and stays.
  const written = new WeakMap()

  // Returns true when the value changed.
  function write(input, value) {
    const text = value === null || value === undefined ? '' : String(value)
    if (input.value === text) return false
    // The prototype's setter, past the instance one React installs to
    // track values, so the input event below reaches a React form's state.
    const own = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input),
      'value')
    if (own && own.set) own.set.call(input, text)
    else input.value = text
    written.set(input, text)
    return true
  }

  // Vendor embeds keep their own copy of field values (HubSpot's forms are
  // React components) and update it from these events.
  function announce(input) {
    for (const type of ['input', 'change']) {
      input.dispatchEvent(new Event(type, { bubbles: true }))
    }
  }

  function ours(input) {
    return input.value === '' || written.get(input) === input.value
  }

  function presetFor(form) {
    if (setting === 'off') return null
    return PRESETS[detectCrm(form) || setting] || null
  }

  // Fills every form under root (the whole page by default). Explicitly
  // marked hidden inputs always get the current value; anything else only
  // while it is empty or still holds what we wrote.
  const unknownKeys = new Set() // each warned about once

  function fill(root) {
    if (!ctx.tracker) return
    const values = JSON.parse(ctx.tracker.fillValues())
    const scope = root || document

    for (const input of scope.querySelectorAll('[data-loopkit-fill]')) {
      const key = input.getAttribute('data-loopkit-fill')
      if (!(key in values)) {
        if (!unknownKeys.has(key)) {
          unknownKeys.add(key)
          ctx.log.warn('data-loopkit-fill="' + key + '" is no fill key')
        }
        continue
      }
      if (input.type === 'hidden' || ours(input)) write(input, values[key])
    }

    const forms = scope instanceof HTMLFormElement ? [scope]
      : scope.querySelectorAll('form')
    for (const form of forms) {
      const preset = presetFor(form)
      if (preset) fillPreset(form, preset, values)
    }
  }

  function fillPreset(form, preset, values) {
    for (const input of form.elements) {
      if (!input.name || input.hasAttribute('data-loopkit-fill') ||
        !('value' in input) || NOT_FILLABLE.test(input.type)) continue
      const name = squash(input.name)
      const key = preset[name] || COMMON[name]
      if (!(key in values) || !ours(input)) continue

      const value = values[key]
      if (name === 'campaignid' && !CAMPAIGN_ID.test(value || '')) continue
      if (write(input, value)) announce(input)
    }
  }

  return { fill }
}
