// What the page's markup tells us: CTA and link clicks, discount code
// inputs, lead forms, hidden inputs to fill and links to other sites of
// ours. Values are read from the DOM here and handed to the core, which
// decides what they mean.

import { createFiller } from './crm.js'
import { fieldMap, formName, readLead } from './forms.js'
import { decorateForm, decorateLink } from './links.js'

const CTA_TEXT_MAX = 100
// Collapses the DOM changes of one render into a single fill pass.
const FILL_DELAY_MS = 50

// actions: { record(type, name, props), discount(code, via), whenReady(work),
// flush() }
export function listenToDom(ctx, actions) {
  const { settings, log } = ctx
  const guard = log.guard
  const ctaSelector = validSelector(settings.ctaSelectors, log)
  const formSelector = validSelector(settings.leadForms, log)
  const fields = fieldMap(settings.leadFields)

  // Capture phase, so a host handler that stops propagation still lets us
  // see the click or submit, and we fill a form's fields (and decorate its
  // links) before the browser reads them.
  const on = (type, handler) => document.addEventListener(type,
    (e) => guard(() => handler(e)), true)
  on('click', onClick)
  on('change', onChange)
  on('submit', onSubmit)
  if (settings.linkedDomains.length) {
    // mousedown comes before a middle click opens a tab, keydown before
    // Enter follows a link; click covers taps and scripts.
    on('mousedown', (e) => decorate(e.target))
    on('keydown', (e) => e.key === 'Enter' && decorate(e.target))
  }
  watchForms()

  function decorate(target) {
    if (target instanceof Element) decorateLink(ctx, target)
  }

  // ---- clicks ------------------------------------------------------------

  function onClick(event) {
    const target = event.target
    if (!(target instanceof Element)) return
    if (settings.linkedDomains.length) decorateLink(ctx, target)

    const click = clickOn(target)
    if (!click) return
    const [element, props, link] = click
    const box = element.getBoundingClientRect()
    props.x = Math.round(box.left + window.scrollX)
    props.y = Math.round(box.top + window.scrollY)
    // A link that leaves the page may unload it before the next flush.
    const leaves = props.href && !/^(#|javascript:)/i
      .test(link.getAttribute('href'))

    actions.whenReady(() => {
      actions.record('cta_click', '', props)
      if (leaves) actions.flush()
    })
  }

  // The element a click counts for and its props, or null. A marked or
  // selected CTA wins over the plain link around or inside it.
  function clickOn(target) {
    const marked = target.closest('[data-loopkit-cta]') ||
      (ctaSelector && target.closest(ctaSelector))
    const link = target.closest('a[href]')
    const kind = linkKind(link)
    if (!marked && !(kind && settings.track[kind])) return null

    const element = marked || link
    const props = {
      cta: marked ? marked.getAttribute('data-loopkit-cta') ||
        marked.id || label(marked) : '',
      text: label(element),
      kind: kind === 'outbound' && marked ? 'cta' : kind || 'cta',
    }
    // The core keeps http(s) hrefs as scheme, host and path, and drops
    // mailto and tel ones; they are never read here in the first place.
    if (link && kind !== 'mailto' && kind !== 'tel') props.href = link.href
    return [element, props, link]
  }

  // mailto, tel, outbound (another host), or '' for a link on this site.
  function linkKind(link) {
    if (!link) return ''
    const protocol = link.protocol
    if (protocol === 'mailto:' || protocol === 'tel:') {
      return protocol.slice(0, -1)
    }
    if (!/^https?:$/.test(protocol)) return ''
    const host = link.hostname.replace(/^www\./, '')
    const here = location.hostname.replace(/^www\./, '')
    return host === here || settings.internalHosts.includes(host)
      ? '' : 'outbound'
  }

  // ---- discount codes ----------------------------------------------------

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

  // ---- forms -------------------------------------------------------------

  // Values are read now, while the form still holds them: the page may
  // reset it or navigate away before the core is ready. A form submitted
  // by script with requestSubmit() fires this too; form.submit() does not,
  // which is what loopkit('lead', ...) is for.
  function onSubmit(event) {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    if (settings.linkedDomains.length) decorateForm(ctx, form)

    const codes = []
    for (const input of form.querySelectorAll('[data-loopkit-discount]')) {
      if (input.value.trim()) codes.push([input, input.value.trim()])
    }
    const isLead = form.matches('[data-loopkit-form]') ||
      (formSelector && form.matches(formSelector))
    const lead = isLead && readLead(form, formName(form), fields)

    actions.whenReady(() => {
      for (const [input, code] of codes) recordInputCode(input, code)
      if (lead) actions.record('lead', '', lead)
      // After the lead, so the score fields include the points it earned.
      fillHiddenInputs(ctx, form)
      if (codes.length || lead) actions.flush() // the page may unload next
    })
  }

  // Forms that arrive after load, such as HubSpot's embed rendering its own,
  // get their hidden fields as soon as they are in the page.
  function watchForms() {
    if (!window.MutationObserver) return
    let timer = 0
    new MutationObserver((mutations) => {
      if (timer || !ctx.tracker) return
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (node.nodeType !== 1 || !(node.matches('form, input') ||
            node.querySelector('form, input'))) continue
          timer = setTimeout(() => {
            timer = 0
            guard(() => fillHiddenInputs(ctx))
          }, FILL_DELAY_MS)
          return
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true })
  }

}

const fillers = new WeakMap()

// Fills the hidden fields of the forms under root (default: the page) from
// the core's current values; see crm.js.
export function fillHiddenInputs(ctx, root) {
  if (!fillers.has(ctx)) fillers.set(ctx, createFiller(ctx))
  fillers.get(ctx).fill(root)
}

function label(element) {
  const text = element.textContent || element.value ||
    element.getAttribute('aria-label') || ''
  return text.replace(/\s+/g, ' ').trim().slice(0, CTA_TEXT_MAX)
}

// The selector list if the browser accepts it, else '' and one warning, so
// a typo in a setting cannot throw on every click.
function validSelector(selector, log) {
  if (!selector) return ''
  try {
    document.createDocumentFragment().querySelector(selector)
    return selector
  } catch (_) {
    log.warn('ignored the selector "' + selector + '"')
    return ''
  }
}
