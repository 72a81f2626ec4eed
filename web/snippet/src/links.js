// Cross-domain links: a link (or form) to one of the linked domains gets the
// visitor id in its URL from the core's decorateLink, and the snippet on the
// other site adopts it, so both sites see one visitor. The URL is rewritten
// right before the browser follows it, because the id carries a time the
// other side accepts for two minutes only, and a link copied from the page
// earlier should not carry it at all.

export function decorateLink(ctx, target) {
  const link = target.closest('a[href], area[href]')
  if (!link || !ctx.tracker) return

  const href = ctx.tracker.decorateLink(link.href, location.href, Date.now())
  if (href) link.href = href
}

// A GET form replaces its action's query with its fields, so the id goes in
// a hidden input instead; a POST form keeps the action's query.
export function decorateForm(ctx, form) {
  if (!ctx.tracker) return
  const action = new URL(form.getAttribute('action') || '', location.href)
  const href = ctx.tracker.decorateLink(action.href, location.href,
    Date.now())
  if (!href) return

  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') {
    form.setAttribute('action', href)
    return
  }
  const param = ctx.settings.linkParam
  const value = new URL(href).searchParams.get(param)
  let input = form.querySelector('input[data-loopkit-link]')
  if (!input) {
    input = document.createElement('input')
    input.type = 'hidden'
    input.name = param
    input.setAttribute('data-loopkit-link', '')
    form.appendChild(input)
  }
  input.value = value
}
