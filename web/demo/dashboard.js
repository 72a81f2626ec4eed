// The demo dashboard: reads the collector's API and shows events and leads.
// Everything that came from a page is untrusted text, so it only ever goes
// into the DOM through textContent.
;(function () {
  'use strict'

  const EVENT_LIMIT = 50
  const REFRESH_MS = 4000

  const status = document.querySelector('[data-status]')
  const eventRows = document.querySelector('[data-events]')
  const eventsEmpty = document.querySelector('[data-events-empty]')
  const leadCards = document.querySelector('[data-leads]')
  const leadsEmpty = document.querySelector('[data-leads-empty]')
  const botNote = document.querySelector('[data-bots]')
  const autoRefresh = document.querySelector('[data-auto-refresh]')
  let timer = 0

  document.querySelector('[data-refresh]').addEventListener('click', refresh)
  autoRefresh.addEventListener('change', schedule)
  refresh()

  async function refresh() {
    clearTimeout(timer)
    try {
      const [events, leads, summary] = await Promise.all([
        getJson('/api/events?limit=' + EVENT_LIMIT),
        getJson('/api/leads'),
        getJson('/api/summary'),
      ])
      showEvents(events.events || [])
      showLeads(leads.leads || [])
      showBots(summary.bots || {})
      status.textContent = 'Updated ' + new Date().toLocaleTimeString()
    } catch (error) {
      status.textContent = 'Could not reach the collector: ' + error.message
    }
    schedule()
  }

  function schedule() {
    clearTimeout(timer)
    if (autoRefresh.checked) timer = setTimeout(refresh, REFRESH_MS)
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store' })
    if (!response.ok) throw new Error(url + ' answered ' + response.status)
    return response.json()
  }

  // ---- events ------------------------------------------------------------

  function showEvents(events) {
    eventRows.replaceChildren(...events.map(eventRow))
    eventsEmpty.hidden = events.length > 0
  }

  // A headless browser or a crawler is a bot: its events are kept apart,
  // and a first test run with one would otherwise look like nothing came.
  function showBots(bots) {
    const count = Number(bots.events) || 0
    botNote.hidden = count === 0
    botNote.textContent = count === 0 ? '' : count + (count === 1
      ? ' event' : ' events') + ' from bots (crawlers, scripts, headless ' +
      'browsers) stored apart and not shown here or in the leads.'
  }

  function eventRow(event) {
    const page = event.page || {}
    const type = el('span', 'type type-' + event.type,
      event.type === 'track' ? 'track: ' + event.name : event.type)

    return row([
      cell(formatTime(event.time, true), 'nowrap'),
      cell(type),
      cell(page.path || page.url || ''),
      cell(touchSummary(event.touch)),
      cell(eventDetails(event)),
      cell(shortId(event.visitor_id), 'mono'),
    ])
  }

  // The one or two properties that tell events of a type apart.
  function eventDetails(event) {
    const props = event.props || {}

    switch (event.type) {
      case 'page_view':
        return (event.page && event.page.title) || ''
      case 'cta_click':
        return shown(props.cta) +
          (props.text ? ' — "' + props.text + '"' : '')
      case 'discount_code':
        return shown(props.code) + ' (via ' + shown(props.via) + ')'
      case 'lead':
        return 'form ' + shown(props.form) + (typeof props.score === 'number'
          ? ', page score ' + props.score + ' ' +
            [props.grade, props.stage].filter(Boolean).join(' / ') : '')
      case 'status_change':
        return (props.from || 'none') + ' → ' + (props.to || 'none')
      default:
        return truncate(JSON.stringify(props), 120)
    }
  }

  // ---- leads -------------------------------------------------------------

  function showLeads(leads) {
    leadCards.replaceChildren(...leads.map(leadCard))
    leadsEmpty.hidden = leads.length > 0
  }

  function leadCard(lead) {
    const score = lead.score || {}
    const fields = lead.fields || {}
    const who = [fields.name, fields.job_title, fields.company]
      .filter(Boolean).join(', ') || 'Anonymous lead'

    // Fit grade and engagement stage side by side: who they are, what they
    // did. The status (MQL) needs both.
    const badge = el('div')
    badge.append(el('div', 'grade grade-' + score.grade, score.grade || '?'),
      el('div', 'stage stage-' + score.stage, score.stage || '—'),
      el('div', 'points', (score.points || 0) + ' points'))
    if (score.status) {
      badge.append(el('div', 'status', score.status.toUpperCase()))
    }

    const person = el('div')
    person.append(el('h3', '', who), definitions([
      ['Fit', score.fit + (score.grade ? ' (grade ' + score.grade + ')' : '')],
      ['Engagement', score.engagement +
        (score.stage ? ' (' + score.stage + ')' : '')],
      ['Status', score.status],
      ['Email domain', lead.email_domain],
      ['Form', lead.form],
      ['Email hash', shortId(lead.email_sha256, 16)],
      ['Visitor', shortId(lead.visitor_id)],
      ['Lead at', formatTime(lead.lead_time)],
      ['Events', Array.isArray(lead.events) ? lead.events.length
        : lead.events],
      // What the page computed; differs from the score above only when the
      // page ran another model or lost events on the way.
      ['Page score', shown(lead.page_score)],
    ]))

    const reasons = el('ul')
    for (const reason of score.reasons || []) {
      reasons.append(el('li', '', reasonText(reason)))
    }

    const why = el('div')
    why.append(el('h4', '', 'Score reasons'), reasons)

    const touches = el('div')
    touches.append(el('h4', '', 'First touch'), touchList(lead.first_touch),
      el('h4', '', 'Last touch'), touchList(lead.last_touch))

    const card = el('article', 'card lead')
    const side = el('div', 'lead-side')
    side.append(why, touches)
    card.append(badge, person, side)
    return card
  }

  // "engagement · Viewed the pricing page: +7.5 (+15 before decay),
  // 2 events: 5264f536…, a3a66e20…". count is every matching event, also
  // for a rule that scores once; events are the ones behind the points.
  function reasonText(reason) {
    const decayed = reason.before_decay !== reason.points
      ? ' (' + signed(reason.before_decay) + ' before decay)' : ''
    const count = reason.count > 1 ? ', ' + reason.count + ' events' : ''
    const ids = (reason.events || []).map((id) => shortId(id)).join(', ')

    return reason.score + ' · ' + (reason.description || reason.rule) +
      ': ' + signed(reason.points) + decayed + count + (ids ? ': ' + ids : '')
  }

  function touchList(touch) {
    const referrer = (touch && touch.referrer) || {}
    return definitions([
      ['Source', touchSummary(touch)],
      ['Referrer', referrer.url || referrer.host || '—'],
      ['Landing', shortUrl(touch && touch.landing_page)],
    ])
  }

  // "newsletter / email / spring_launch", falling back to the referrer's
  // classification when the visit carried no campaign.
  function touchSummary(touch) {
    if (!touch) return '—'
    const campaign = touch.campaign || {}
    const referrer = touch.referrer || {}
    const source = campaign.source || referrer.source || '(direct)'
    const medium = campaign.medium || referrer.medium || '(none)'

    return [source, medium, campaign.name].filter(Boolean).join(' / ')
  }

  // ---- DOM helpers -------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = String(text)
    return node
  }

  function cell(content, className) {
    const td = el('td', className)
    if (content instanceof Node) td.append(content)
    else td.textContent = content
    return td
  }

  function row(cells) {
    const tr = el('tr')
    tr.append(...cells)
    return tr
  }

  function definitions(pairs) {
    const list = el('dl')
    for (const [term, value] of pairs) {
      list.append(el('dt', '', term),
        el('dd', '', value === undefined || value === '' ? '—' : value))
    }
    return list
  }

  // Today's times without the date, which the events table would repeat on
  // every row.
  function formatTime(value, short) {
    if (!value) return '—'
    const date = new Date(value)
    if (isNaN(date)) return String(value)
    const today = date.toDateString() === new Date().toDateString()
    return short && today ? date.toLocaleTimeString() : date.toLocaleString()
  }

  // The path and query; the demo's pages all share one origin.
  function shortUrl(url) {
    if (!url) return '—'
    try {
      const parsed = new URL(url)
      return parsed.pathname + parsed.search
    } catch (_) {
      return url
    }
  }

  function shortId(id, length) {
    if (!id) return '—'
    const keep = length || 8
    return id.length > keep ? id.slice(0, keep) + '…' : id
  }

  function signed(points) {
    return (points > 0 ? '+' : '') + points
  }

  // A value an event may lack (a client other than our snippet sent it) shows
// as a dash, never as "undefined" or "null".
function shown(value) {
  return value === undefined || value === null || value === '' ? '—'
    : String(value)
}

function truncate(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text
  }
})()
