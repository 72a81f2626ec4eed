// `loopkit inspect`: the JSON it prints for a page URL and referrer, and
// how it fails. Runs the real binary:
//
//   LOOPKIT_BIN=build/native/collector/loopkit node --test tests/collector/
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const bin = process.env.LOOPKIT_BIN

function inspect(...args) {
  const r = spawnSync(bin, ['inspect', ...args], { encoding: 'utf8' })
  if (r.error) throw r.error
  return {
    code: r.status,
    stderr: r.stderr,
    json: r.status === 0 ? JSON.parse(r.stdout) : undefined,
  }
}

const tempDirs = []
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
})

function tempFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopkit-inspect-'))
  tempDirs.push(dir)
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

const noCampaign = {
  source: '', medium: '', campaign: '', term: '', content: '', id: '',
  click_id: '', click_id_type: '', discount_code: '',
}

test('a tagged link from a search page is the campaign\'s channel', () => {
  const r = inspect(
    'https://shop.test/?utm_source=news&utm_medium=email&utm_campaign=may' +
      '&discount=MAY10',
    '--referrer', 'https://www.google.com/search?q=crm')

  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json, {
    campaign: { ...noCampaign, source: 'news', medium: 'email',
      campaign: 'may', discount_code: 'MAY10' },
    referrer: { medium: 'search', source: 'Google', term: 'crm',
      host: 'www.google.com' },
    source: 'news',
    medium: 'email',
    channel: 'Email',
    bot: false,
  })
})

test('an ad click id with no tags names the network', () => {
  const r = inspect('https://shop.test/landing?gclid=Cj0KCQ')

  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json.campaign, { ...noCampaign, click_id: 'Cj0KCQ',
    click_id_type: 'gclid' })
  assert.deepEqual(r.json.referrer,
    { medium: 'direct', source: '', term: '', host: '' })
  assert.equal(r.json.source, 'google')
  assert.equal(r.json.medium, 'cpc')
  assert.equal(r.json.channel, 'Paid Search')
})

test('a webmail referrer without tags is email, not referral', () => {
  const r = inspect('https://shop.test/',
    '--referrer=https://mail.google.com/mail/u/0/')

  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.json.referrer.medium, 'email')
  assert.equal(r.json.source, 'gmail')
  assert.equal(r.json.medium, 'email')
  assert.equal(r.json.channel, 'Email')
})

test('custom channels and referrers come from files', () => {
  const channels = tempFile('channels.json', JSON.stringify({
    prepend: [{ channel: 'AI Assistants',
      all: [{ field: 'referrer', equals: 'chatbot' }] }],
  }))
  const referrers = tempFile('referrers.json', JSON.stringify({
    search: { 'Intranet Search': { domains: ['find.corp.test'],
      parameters: ['k'] } },
  }))

  const ai = inspect('https://shop.test/', '--referrer', 'https://chatgpt.com/',
    '--channels', channels)
  const intranet = inspect('https://shop.test/', '--referrer',
    'https://find.corp.test/?k=pricing', '--referrers', referrers)

  assert.equal(ai.code, 0, ai.stderr)
  assert.equal(ai.json.source, 'chatgpt.com')
  assert.equal(ai.json.medium, 'referral')
  assert.equal(ai.json.channel, 'AI Assistants')
  assert.equal(intranet.code, 0, intranet.stderr)
  assert.deepEqual(intranet.json.referrer, { medium: 'search',
    source: 'Intranet Search', term: 'pricing', host: 'find.corp.test' })
  assert.equal(intranet.json.source, 'intranet search')
  assert.equal(intranet.json.medium, 'organic')
  assert.equal(intranet.json.channel, 'Organic Search')
})

test('a bad page URL is a usage error', () => {
  const r = inspect('www.shop.test/no-scheme')

  assert.equal(r.code, 2)
  assert.match(r.stderr, /page URL does not parse \(no_scheme\)/)
})

test('a missing page URL or an unknown option is a usage error', () => {
  assert.equal(inspect().code, 2)
  assert.equal(inspect('https://shop.test/', '--referer', 'x').code, 2)
})

test('unreadable or invalid files say which and where', () => {
  const bad = tempFile('channels.json',
    '{"append": [{"channel": "A", "all": [{"field": "medium"}]}]}')

  const missing = inspect('https://shop.test/', '--channels',
    path.join(os.tmpdir(), 'loopkit-no-such-file.json'))
  const invalid = inspect('https://shop.test/', '--channels', bad)
  const notJson = inspect('https://shop.test/', '--referrers', bad + 'x')

  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /cannot read channel rules .*no-such-file/)
  assert.equal(invalid.code, 1)
  assert.match(invalid.stderr, /invalid channel rules .*: \/append\/0\/all\/0: needs an operator/)
  assert.equal(notJson.code, 1)
})

test('the user agent is checked for bots', () => {
  const browser = inspect('https://shop.test/', '--user-agent',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/120.0.0.0 Safari/537.36')
  const crawler = inspect('https://shop.test/', '--user-agent',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')

  assert.equal(browser.code, 0, browser.stderr)
  assert.equal(browser.json.bot, false)
  assert.equal(crawler.code, 0, crawler.stderr)
  assert.equal(crawler.json.bot, true)
})

test('--lines inspects one visit a line, as one inspect each would', () => {
  const visits = [
    ['https://shop.test/?utm_source=news&utm_medium=email&utm_campaign=may',
      'https://www.google.com/search?q=crm'],
    ['https://shop.test/landing?gclid=Cj0KCQ'],
    ['https://shop.test/', 'https://www.bing.com/search?q=a+b',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['https://shop.test/?coupon=SPRING', 'https://blog.example.org/post'],
  ]
  // A blank line and CRLF endings, as a spreadsheet export has them.
  const input = visits.map((v) => v.join('\t')).join('\r\n') +
    '\r\n\r\nnot a url\thttps://x.test/\r\n'
  const r = spawnSync(bin, ['inspect', '--lines', '-'],
    { input, encoding: 'utf8' })

  assert.equal(r.status, 0, r.stderr)
  const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))
  assert.equal(out.length, visits.length + 1)
  visits.forEach(([page, referrer, userAgent], i) => {
    const args = [page]
    if (referrer) args.push('--referrer', referrer)
    if (userAgent) args.push('--user-agent', userAgent)
    assert.deepEqual(out[i], inspect(...args).json, page)
  })
  assert.equal(out[2].bot, true)
  assert.equal(out[3].campaign.discount_code, 'SPRING')
  assert.deepEqual(out[4],
    { line: 6, error: 'page URL does not parse: no_scheme' })
  assert.match(r.stderr, /1 of 6 lines have a page URL that does not parse/)
})

test('--lines takes no page URL beside it', () => {
  const r = inspect('--lines', '-', 'https://shop.test/')

  assert.equal(r.code, 2)
  assert.match(r.stderr, /--lines reads every visit from its file/)
})

test('a directory given as a file is refused with the reason', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopkit-inspect-'))
  tempDirs.push(dir)
  const referrers = inspect('https://shop.test/', '--referrers', dir)
  const lines = inspect('--lines', dir)
  const missing = inspect('--lines', path.join(dir, 'no-such.tsv'))
  const bothStdin = inspect('https://shop.test/', '--referrers', '-',
    '--channels', '-')

  assert.equal(referrers.code, 1)
  assert.match(referrers.stderr, /cannot read referrer database .*: Is a directory/)
  assert.equal(lines.code, 1)
  assert.match(lines.stderr, /cannot read the visits in .*: Is a directory/)
  assert.match(missing.stderr, /no-such\.tsv: No such file or directory/)
  assert.equal(bothStdin.code, 2)
  assert.match(bothStdin.stderr, /only one file can be read from standard input/)
})
