// Reading a lead from a form: the email (hashed by the core, never sent
// raw) and the fields on an allow list, and never anything secret.

import { squash } from './crm.js'

// The lead fields the core keeps (core/include/loopkit/event.h); a setting
// can narrow or rename them, not add others, as the core drops the rest.
export const LEAD_FIELDS = ['name', 'first_name', 'last_name', 'company',
  'job_title', 'country', 'company_size']

// CRM spellings of the same fields, squashed (crm.js): HubSpot's firstname
// and jobtitle, Marketo's FirstName, Title and NumberOfEmployees,
// Salesforce's first_name, title and company_size__c.
const ALIASES = {
  fullname: 'name',
  yourname: 'name',
  firstname: 'first_name',
  fname: 'first_name',
  givenname: 'first_name',
  lastname: 'last_name',
  lname: 'last_name',
  surname: 'last_name',
  familyname: 'last_name',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  jobtitle: 'job_title',
  title: 'job_title',
  countryregion: 'country',
  companysize: 'company_size',
  numberofemployees: 'company_size',
  employees: 'company_size',
}

// Autocomplete tokens and name words that mark a secret: passwords,
// payment cards and bank accounts, one-time codes.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill
const SECRET_AUTOCOMPLETE =
  /(^|\s)(cc-|one-time-code|current-password|new-password)/
const SECRET_WORDS = new RegExp('^(cc|cvv|cvc|csc|cvn|otp|pin|iban|ssn|pass|' +
  'passwd)$|card|password|iban|cvv|cvc|otp|secret')
const NOT_TEXT = /^(hidden|password|file|submit|button|reset|image|checkbox)$/

// name or id split into words: "ccNumber", "card-cvc", "user_otp".
function words(text) {
  return String(text || '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    .split(/[^a-z0-9]+/).filter(Boolean)
}

// True for a control whose value must never leave the page, whatever it is
// called: password and hidden inputs, card and one-time-code fields, and
// anything the visitor cannot see.
export function isSecret(control) {
  if (NOT_TEXT.test(control.type || '')) return true
  if (control.closest('[hidden]')) return true
  const autocomplete = String(control.getAttribute('autocomplete') || '')
    .toLowerCase()
  if (SECRET_AUTOCOMPLETE.test(autocomplete)) return true
  const all = [...words(control.getAttribute('name')),
    ...words(control.id)]
  return all.some((w) => SECRET_WORDS.test(w))
}

// Maps squashed input names to lead fields. entries: the lead-fields
// setting, "company" or "org_name:company"; empty for the default list.
export function fieldMap(entries) {
  const map = {}
  const wanted = new Set()
  for (const entry of entries.length ? entries : LEAD_FIELDS) {
    const [from, to = from] = entry.split(':').map((s) => s.trim())
    map[squash(from)] = to
    wanted.add(to)
  }
  for (const field of wanted) {
    if (!map[squash(field)]) map[squash(field)] = field
  }
  for (const alias in ALIASES) {
    if (!(alias in map) && wanted.has(ALIASES[alias])) {
      map[alias] = ALIASES[alias]
    }
  }
  return map
}

// The props of a lead event from loopkit('lead', {form, email, fields}),
// with the fields mapped like a form's; null when details is no object.
export function leadFromApi(settings, details) {
  if (!details || typeof details !== 'object') return null
  const map = fieldMap(settings.leadFields)
  const fields = {}
  for (const name in details.fields || {}) {
    const field = map[squash(name)]
    const value = details.fields[name]
    const text = value === null || value === undefined ? '' : String(value)
    if (field && text.trim() && !fields[field]) fields[field] = text.trim()
  }
  const lead = { form: String(details.form || 'lead'), fields }
  if (details.email) lead.email = String(details.email)
  return lead
}

export function readLead(form, formName, map) {
  const fields = {}
  let email = ''

  for (const control of form.elements) {
    if (!control.name || !('value' in control) || isSecret(control)) continue
    if (control.type === 'radio' && !control.checked) continue
    const value = String(control.value || '').trim()
    if (!value) continue

    const name = squash(control.name)
    if (!email && (control.type === 'email' || /^e?mail(address)?$/
      .test(name))) {
      email = value
      continue
    }
    const field = map[name]
    if (field && !fields[field]) fields[field] = value
  }

  const lead = { form: formName, fields }
  if (email) lead.email = email
  return lead
}

// The name a lead is recorded under: the marker's value, else the form's
// own id or name attribute (attributes, since form.name and form.id may be
// inputs of that name).
export function formName(form) {
  return form.getAttribute('data-loopkit-form') || form.getAttribute('id') ||
    form.getAttribute('name') || 'form'
}
