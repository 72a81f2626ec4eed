// Page views of single-page apps, which change the URL with the History API
// instead of loading a page. A view counts when the route changed: the path
// and query, and the fragment only when it is a route ("#/pricing",
// "#!/pricing", as hash routers write them), not an anchor ("#signup").
// The view waits a moment after the last change, so a push followed at once
// by a replace (routers that normalise the URL) is one view, and the title
// the app sets after rendering is the one recorded. Its referrer is the
// previous view's URL.

const SETTLE_MS = 100
const HASH_ROUTE = /^#!?\//

// view({ url, referrer, title, time }) records a page view.
export function watchRoutes(log, view) {
  let current = routeOf(location.href)
  let previous = location.href
  let timer = 0

  function changed() {
    clearTimeout(timer)
    timer = setTimeout(() => log.guard(check), SETTLE_MS)
  }

  function check() {
    clearTimeout(timer)
    timer = 0
    const route = routeOf(location.href)
    if (route === current) return
    current = route
    view({ url: location.href, referrer: previous, title: document.title,
      time: Date.now() })
    previous = location.href
  }

  // Wrapped, not replaced: the app's router and other scripts keep calling
  // the browser's own methods through us.
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name]
    if (typeof original !== 'function') continue
    history[name] = function (...args) {
      const result = original.apply(this, args)
      log.guard(changed)
      return result
    }
  }
  window.addEventListener('popstate', () => log.guard(changed))
  window.addEventListener('hashchange', () => log.guard(changed))

  return {
    check, // records a pending view now (the page is being hidden)
    // The URL the page shows changed without a new view (the link
    // parameter left the address bar).
    moved() {
      current = routeOf(location.href)
      previous = location.href
    },
  }
}

function routeOf(href) {
  const url = new URL(href)
  return url.pathname + url.search + (HASH_ROUTE.test(url.hash) ? url.hash : '')
}
