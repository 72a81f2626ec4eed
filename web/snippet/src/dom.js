// What the page's markup tells us: CTA clicks, discount code inputs, lead
// forms, and hidden inputs to fill. Values are read from the DOM here and
// handed to the core, which decides what they mean.

const CTA_TEXT_MAX = 100
// The core keeps only allow-listed lead fields; reading just these keeps
// everything else a form holds out of the tracker in the first place.
const LEAD_FIELDS = ['name', 'first_name', 'last_name', 'company',
  'job_title', 'country', 'company_size']
const SKIPPED_INPUT_TYPES = ['password', 'hidden', 'file']

// actions: { record(type, name, props), discount(code, via), whenReady(work),
// flush() }
export function listenToDom(ctx, actions) {
  const guard = ctx.log.guard
  // Capture phase, so a host handler that stops propagation still lets us
  // see the click or submit, and we fill a form's fields before the
  // browser reads them.
  document.addEventListener('click', (e) => guard(() => onClick(e)), true)
  document.addEventListener('change', (e) => guard(() => onChange(e)), true)
  document.addEventListener('submit', (e) => guard(() => onSubmit(e)), true)

  function onClick(event) {
    const target = event.target
    const cta = target instanceof Element &&
      target.closest('[data-loopkit-cta]')
    if (!cta) return

    const props = {
      cta: cta.getAttribute('data-loopkit-cta'),
      text: label(cta),
    }
    actions.whenReady(() => actions.record('cta_click', '', props))
  }

  function onChange(event) {
    const target = event.target
    if (!(target instanceof Element) ||
      !target.matches('[data-loopkit-discount]')) return

    const code = target.value.trim()
    if (code) actions.whenReady(() => recordInputCode(target, code))
  }

  // A code is read on change and again on submit, since a form can be
  // submitted with Enter before the input ever fires change. Remembering
  // the last code per input keeps that from warning about a repeat; codes
  // used earlier in the session are still the core's to refuse.
  const codesSent = new WeakMap()

  function recordInputCode(input, code) {
    if (codesSent.get(input) === code) return
    codesSent.set(input, code)
    actions.discount(code, 'input')
  }

  // Values are read now, while the form still holds them: the page may
  // reset it or navigate away before the core is ready.
  function onSubmit(event) {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return

    const codes = []
    for (const input of form.querySelectorAll('[data-loopkit-discount]')) {
      if (input.value.trim()) codes.push([input, input.value.trim()])
    }
    const formName = form.getAttribute('data-loopkit-form')
    const lead = formName !== null && readLead(form, formName)
    if (!codes.length && !lead) return

    actions.whenReady(() => {
      for (const [input, code] of codes) recordInputCode(input, code)
      if (lead) {
        actions.record('lead', '', lead)
        // After the lead, so lead_score includes the points it earned.
        fillHiddenInputs(ctx, form)
      }
      actions.flush() // the submission may navigate away right after this
    })
  }
}

export function fillHiddenInputs(ctx, root) {
  const values = JSON.parse(ctx.tracker.fillValues())
  const inputs = (root || document).querySelectorAll('[data-loopkit-fill]')

  for (const input of inputs) {
    const key = input.getAttribute('data-loopkit-fill')
    if (key in values) input.value = String(values[key])
  }
}

function label(element) {
  const text = element.textContent || element.value ||
    element.getAttribute('aria-label') || ''
  return text.replace(/\s+/g, ' ').trim().slice(0, CTA_TEXT_MAX)
}

function readLead(form, formName) {
  const emailInput = form.querySelector('input[type="email"]') ||
    form.querySelector('[name="email"]')
  const fields = {}

  for (const element of form.elements) {
    if (!LEAD_FIELDS.includes(element.name)) continue
    if (SKIPPED_INPUT_TYPES.includes(element.type)) continue
    if (/^cc-/.test(element.autocomplete || '')) continue // card data
    const value = String(element.value || '').trim()
    if (value) fields[element.name] = value
  }
  const lead = { form: formName || 'form', fields }
  if (emailInput && emailInput.value) lead.email = emailInput.value
  return lead
}
