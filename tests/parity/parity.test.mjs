// Native and WebAssembly builds of the core must give byte-identical
// answers. This test generates a few thousand inputs (hostile ones included),
// runs them through loopkit-core.wasm here and through the native parity
// driver, and compares every output line.
//
// Env: LOOPKIT_WASM_DIR (folder with loopkit-core.js/.wasm and
//      loopkit-page.wasm),
//      LOOPKIT_PARITY_DRIVER (native driver binary).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const wasmDir = process.env.LOOPKIT_WASM_DIR;
const driver = process.env.LOOPKIT_PARITY_DRIVER;

// A small seeded generator (mulberry32), so every run checks the same cases.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '%zz', '%', 'a%', '%4', '++', '+a+b+', '%2B', '%252B', '10%25off',
  'no%2520code', 'foo%bar', 'caf%E9', '%C3%A9t%C3%A9', 'Android+App',
  'Android%20App', '<script>alert(1)</script>', '%3Cscript%3E', '"quoted"',
  "it's", 'x'.repeat(10240), 'ünïcødé', '日本語', '😀', '%F0%9F%98%80',
  '%ED%A0%80', '\u0000nul', 'tab\there', 'a=b=c', '', ' spaced ', '#frag',
  'write to jane%40example.com', 'jane@example.com',
];
const KEYS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'utm_id', 'UTM_SOURCE', 'Utm_Medium', 'gclid', 'fbclid', 'msclkid',
  'discount', 'coupon', 'promo', 'q', 'page', '', 'a b', '%75tm_source',
];
const HOSTS = [
  'shop.test', 'WWW.Shop.Test', 'shop.test:8443', 'shop.test:443',
  '[::1]:8080', 'user:pw@shop.test', 'xn--caf-dma.test', 'exa mple.com',
  'shop.test:99999',
];
const REFERRERS = [
  '', 'https://www.google.com/search?q=invoicing+software',
  'https://www.google.co.uk/', 'https://www.bing.com/search?q=a%20b',
  'https://duckduckgo.com/', 'https://l.facebook.com/l.php?u=x',
  'https://t.co/x', 'https://mail.google.com/mail/u/0/',
  'android-app://com.google.android.gm/', 'https://shop.test/pricing',
  'https://www.partner.example/post', 'not a url', 'https://',
  'https://chatgpt.com/', 'https://yandex.ru/search/?text=%D0%BA',
];
const EVENT_TYPES = ['cta_click', 'discount_code', 'lead', 'track', 'bogus',
                     'page_view'];

function pick(r, list) { return list[Math.floor(r() * list.length)]; }

function makeUrl(r) {
  const scheme = pick(r, ['https', 'http', 'HTTPS', 'ftp', 'mailto', '']);
  const host = pick(r, HOSTS);
  const pathPart = pick(r, ['/', '/pricing', '/a/../b/./c', '\\x\\y', '',
                            '/%2e%2e/x', '/signup?']);
  const params = [];
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    params.push(`${pick(r, KEYS)}=${pick(r, HOSTILE)}`);
  }
  const sep = pick(r, ['&', '&', '&&', ';']);
  const frag = r() < 0.2 ? `#${pick(r, HOSTILE)}` : '';
  const prefix = scheme ? `${scheme}://` : '';
  return `${prefix}${host}${pathPart}${params.length ? '?' : ''}` +
         `${params.join(sep)}${frag}`;
}

function makeScript(r, i) {
  const ops = [];
  let now = 1764000000000 + i * 1000;
  const steps = 3 + Math.floor(r() * 8);
  for (let s = 0; s < steps; s++) {
    now += Math.floor(r() * 40 * 60 * 1000);
    const kind = r();
    if (kind < 0.4) {
      // Some views come with the id of a raw view sent before the core
      // loaded, valid or not.
      ops.push({ op: 'page_view', url: makeUrl(r), referrer: pick(r, REFERRERS),
                 title: pick(r, HOSTILE).slice(0, 300), now,
                 id: pick(r, ['', '', 'a1b2c3d4-0000-4000-8000-00000000000' + s,
                   'bad id', 'x'.repeat(65)]) });
    } else if (kind < 0.85) {
      const type = pick(r, EVENT_TYPES);
      const props = type === 'lead'
        ? { form: 'signup', email: ` User${s}@Example.COM `,
            fields: { name: pick(r, HOSTILE), job_title: pick(r, ['CEO', 'dev']),
                      password: 'secret' } }
        : type === 'discount_code' ? { code: pick(r, ['SPRING20', 'spring20', '']) }
        : type === 'cta_click' ? { cta: pick(r, ['hero', '', 'pricing']),
                                   text: pick(r, HOSTILE) }
        : { value: r(), label: pick(r, HOSTILE) };
      const raw = r() < 0.05 ? '{broken' : JSON.stringify(props);
      ops.push({ op: 'record', type, name: pick(r, ['', 'video_play']),
                 props: raw, now });
    } else if (kind < 0.9) {
      ops.push({ op: 'identify', email: pick(r, [' A@B.C', '', 'x@y.z']) });
    } else if (kind < 0.95) {
      ops.push({ op: 'restore', state: pick(r, ['{', '{"v":1}', '']) });
    } else {
      ops.push({ op: 'model', model: pick(r, ['{}', '{"version":1,"rules":[],' +
                 '"grades":[{"grade":"A","min":0}]}']) });
    }
  }
  const config = pick(r, ['', '{"site":"demo"}', '{"site":5}',
                          '{"discount_params":["voucher"],"session_timeout_minutes":5}']);
  const seed = Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0').repeat(4);
  return { config, seed, ops };
}

// ---- visitor ids, cross-domain links, touches, CTA details ---------------

const LINK_IDS = ['Visitor-0042', 'abcdefgh', 'short', 'bad id!',
  'x'.repeat(65), ''];
const PAYMENT_REFERRERS = ['https://www.paypal.com/checkoutnow?token=1',
  'https://checkout.stripe.com/c/pay/cs_1', 'https://pay.test/done',
  'https://blog.test/post', 'https://notpaypal.com/', ''];
const HREFS = ['https://shop.test/cart?x=1#top', 'https://www.shop.test/',
  'http://blog.test/?', 'https://shop.test/?_lk=old.1&a=1',
  'https://other.test/a?b=jane@example.com', 'mailto:jane@example.com',
  'tel:+49301234567', 'javascript:go()', '/relative', '',
  'https://Partner.Example:8443/p/jane@example.com?ref=1#x',
  'ftp://shop.test/'];
const CTA_KINDS = ['cta', 'outbound', 'mailto', 'tel', '', 'button', 7,
  undefined];
const POSITIONS = [0, 12, 120.6, -4, 1e12, '12', null, undefined, 0.5, 2.5];

// A link value "<id>.<base36 ms>" some seconds off the page's clock.
function linkValue(r, now) {
  const offset = pick(r, [0, -100, 100, -121, 121, -119.999, 3600]) * 1000;
  const time = Math.round(now + offset).toString(36);
  return pick(r, [`${pick(r, LINK_IDS)}.${time}`, pick(r, LINK_IDS),
    `${pick(r, LINK_IDS)}.${time.toUpperCase()}`, `${pick(r, LINK_IDS)}.`]);
}

function makeTrackerScript(r) {
  const ops = [];
  let now = 1764000000000;
  const steps = 4 + Math.floor(r() * 12);
  for (let s = 0; s < steps; s++) {
    now += pick(r, [0, 400, 999, 1000, 1001, 60000, 31 * 60 * 1000]);
    const kind = r();
    if (kind < 0.3) {
      let url = makeUrl(r);
      if (r() < 0.6) {
        const param = pick(r, ['_lk', 'xid', '_LK']);
        url = pick(r, ['https://shop.test/?', 'https://shop.test/a?b=1&',
          'https://shop.test/?utm_source=news&']) +
          `${param}=${encodeURIComponent(linkValue(r, now))}` +
          pick(r, ['', '&c=2', '#frag']);
      }
      ops.push({ op: 'page_view', url,
        referrer: pick(r, [...PAYMENT_REFERRERS, ...REFERRERS]), title: 'T',
        now });
    } else if (kind < 0.55) {
      const props = { cta: pick(r, ['hero', '', 'jane@example.com', 'nav']),
        text: pick(r, ['Start', 'jane@example.com', '+49 30 1234567', '']),
        kind: pick(r, CTA_KINDS), href: pick(r, HREFS),
        x: pick(r, POSITIONS), y: pick(r, POSITIONS) };
      ops.push({ op: 'record', type: 'cta_click', name: '',
        props: JSON.stringify(props), now });
    } else if (kind < 0.65) {
      ops.push({ op: 'adopt', id: pick(r, LINK_IDS) });
    } else if (kind < 0.75) {
      ops.push({ op: 'clean', url: pick(r, HREFS) + pick(r, ['', '&_lk=a.1',
        '?_lk=Visitor-0042.1', '#_lk=1']) });
    } else if (kind < 0.9) {
      ops.push({ op: 'decorate', href: pick(r, HREFS),
        page: pick(r, ['https://blog.test/', 'https://shop.test/', 'bad']),
        now: pick(r, [now, -5, Number.NaN, 0]) });
    } else {
      ops.push({ op: 'touches' });
    }
  }
  const config = pick(r, ['', '{"linked_domains":["shop.test","blog.test"]}',
    '{"excluded_hosts":["pay.test"],"touch_history":2}',
    '{"link_param":"xid","linked_domains":["Blog.Test."]}',
    '{"touch_history":0}', '{"excluded_hosts":["https://x/"]}']);
  const seed = Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')
    .repeat(4);
  return { config, seed, ops };
}

// ---- scoring histories ---------------------------------------------------

const DEMO_MODEL = fs.readFileSync(fileURLToPath(
  new URL('../../web/demo/scoring.json', import.meta.url)), 'utf8');

// Every rule kind, caps, negative points, three statuses and a short
// half-life, so most contributions end in fractions of a point.
const STRESS_MODEL = {
  version: 2,
  email_domains: { free_mail: ['freebie.test'], disposable: ['burner.test'] },
  fit: {
    max: 60,
    rules: [
      { id: 'title', fields: { job_title: { regex: '^(c[a-z]o|vp|head)' } },
        points: 25 },
      { id: 'size', fields: { company_size: { range: { min: 11, max: 500 } } },
        points: 15 },
      { id: 'dach', fields: { country: { one_of: ['DE', 'AT', 'CH'] } },
        points: 5 },
      { id: 'corp', email: 'corporate', points: 10 },
      { id: 'free', email: 'free_mail', points: -10 },
      { id: 'burner', email: 'disposable', points: -40 },
      { id: 'rival', email: { domains: ['rival.example'] }, points: -100 },
    ],
    grades: [{ grade: 'A', min: 40 }, { grade: 'B', min: 20 },
      { grade: 'C', min: 1 }],
  },
  engagement: {
    half_life: '7d',
    max: 80,
    rules: [
      { id: 'pricing', event: 'page_view',
        where: { 'page.path': { prefix: '/pricing' } }, count: 'once',
        points: 15 },
      { id: 'cta', event: 'cta_click', points: 7, max: 20 },
      { id: 'hero', event: 'cta_click',
        where: { 'props.cta': { contains: 'hero' } }, points: 3 },
      { id: 'burst', event: 'page_view',
        count: { at_least: 3, within: '2h' }, points: 11 },
      { id: 'recent', recency: '3d', points: 5 },
      { id: 'recent_pricing', recency: '1d', event: 'page_view',
        where: { 'page.path': { regex: 'pric' } }, points: 4 },
      { id: 'careers', event: 'page_view', where: { 'page.path': '/careers' },
        points: -13 },
      { id: 'email', where: { 'touch.channel': 'Email' }, count: 'once',
        points: 9 },
      { id: 'paid',
        where: { 'touch.campaign.medium': { one_of: ['cpc', 'ppc'] } },
        points: 1, max: 5 },
      { id: 'watched', event: 'track', name: 'video_play',
        where: { 'props.value': { range: { min: 0, max: 5 } } }, points: 2 },
      { id: 'lead', event: 'lead', count: 'once', points: 30 },
    ],
    stages: [{ stage: 'hot', min: 50 }, { stage: 'warm', min: 20 },
      { stage: 'cold', min: 0 }],
  },
  statuses: [{ status: 'sql', grade: 'A', stage: 'hot' },
    { status: 'mql', grade: 'B', stage: 'warm' },
    { status: 'engaged', stage: 'hot' }],
};

const V1_MODEL = {
  version: 1,
  rules: [
    { id: 'p', event: 'page_view',
      where: { 'page.path': { prefix: '/pricing' } }, points: 15, once: true },
    { id: 'c', event: 'cta_click', points: 5 },
    { id: 'l', event: 'lead', points: 30, once: true }],
  grades: [{ grade: 'A', min: 40 }, { grade: 'B', min: 0 }],
};

function scoringModels() {
  const hourly = structuredClone(STRESS_MODEL);
  hourly.engagement.half_life = '90m';
  return [DEMO_MODEL, JSON.stringify(STRESS_MODEL), JSON.stringify(hourly),
    JSON.stringify(V1_MODEL), ''];  // '' does not load: an error answer
}

const PATHS = ['/', '/pricing', '/pricing/teams', '/PRICING', '/careers',
  '/blog/invoices', '/signup'];
const CTAS = ['hero-trial', 'nav-trial', 'plan-studio', 'footer', 'HERO'];
const TITLES = ['CEO', 'cto', 'VP Sales', 'Head of Ops', 'Founder',
  'Intern', 'Designer', 'chief of staff', ''];
const SIZES = ['1', '2-10', '11-50', '51-200', '1,000+', 'abc', ''];
const DOMAINS = ['gmail.com', 'acme.test', 'mailinator.com',
  'eu.mailinator.com', 'rival.example', 'freebie.test', 'burner.test',
  'Example.COM', ''];
const TOUCHES = [['newsletter', 'email', 'Email'], ['google', 'cpc',
  'Paid Search'], ['google', 'organic', 'Organic Search'], ['', '', ''],
['linkedin', 'social', 'Organic Social'], ['x', 'ppc', 'Paid Other']];

function makeEvent(r, id, time) {
  const kind = r();
  const type = kind < 0.45 ? 'page_view' : kind < 0.65 ? 'cta_click'
    : kind < 0.72 ? 'discount_code' : kind < 0.8 ? 'lead'
      : kind < 0.97 ? 'track' : 'status_change';
  const [source, medium, channel] = pick(r, TOUCHES);
  const path = pick(r, PATHS);
  const event = {
    id, type, time, visitor_id: 'v', session_id: 's', site: 'demo',
    page: { url: 'https://shop.test' + path, path, title: 'T', referrer: '' },
    touch: {
      campaign: { source, medium, name: '', term: '', content: '', id: '',
        click_id: '', click_id_type: '', discount_code: '' },
      referrer: { medium: 'direct', source: '', term: '', host: '', url: '' },
      landing_page: 'https://shop.test/', time: time - 1000,
      ...(channel ? { source, medium, channel } : {}),
    },
    props: {},
  };
  if (type === 'cta_click') event.props = { cta: pick(r, CTAS), text: 'Go' };
  if (type === 'discount_code') event.props = { code: 'SPRING20', via: 'url' };
  if (type === 'lead') {
    const fields = {};
    if (r() < 0.8) fields.job_title = pick(r, TITLES);
    if (r() < 0.6) fields.company_size = pick(r, SIZES);
    if (r() < 0.4) fields.country = pick(r, ['DE', 'at', 'US', '']);
    event.props = { form: 'signup', fields };
    const domain = pick(r, DOMAINS);
    if (domain) event.props.email_domain = domain;
  }
  if (type === 'track') {
    event.name = pick(r, ['video_play', 'scroll']);
    event.props = { value: pick(r, [0, 2.5, 5, 7, '3', true, null]) };
  }
  if (type === 'status_change') event.props = { from: '', to: 'mql' };
  return event;
}

// One visitor: events a few minutes to a few days apart, scored as of a
// clock up to 60 days after the last one (sometimes before it).
function makeHistory(r, index, count, models) {
  let time = 1764000000000 + Math.floor(r() * 1e9);
  const events = [];
  for (let k = 0; k < count; k++) {
    time += Math.floor(r() ** 3 * 3 * 86400000);
    events.push(makeEvent(r, `h${index}-${k}`, time));
  }
  if (r() < 0.3) events.reverse();
  const now = time + Math.floor((r() - 0.1) * 60 * 86400000);
  return [Math.floor(r() * models.length), JSON.stringify(events), now];
}

function makeCases() {
  const r = rng(20261204);
  const urls = [];
  for (let i = 0; i < 1500; i++) urls.push(makeUrl(r));
  urls.push('', '   ', 'https://shop.test/' + 'a'.repeat(20000));
  const referrers = [];
  for (let i = 0; i < 500; i++) {
    referrers.push([pick(r, REFERRERS), makeUrl(r)]);
  }
  // Text beyond ASCII both ways across classifyVisit's boundary.
  referrers.push(
    ['https://www.google.com/search?q=caf%C3%A9',
      'https://shop.test/?utm_source=日本語&utm_medium=😀&utm_campaign=ü'],
    ['https://www.bing.com/search?q=ünï', 'https://shop.test/café?gclid=x'],
    ['https://blog.test/日本', 'https://shop.test/']);
  const emails = [' Jane.Doe@Example.com ', '', 'ünï@x.test', '😀@x'];
  const event = (id, type) => ({ id, type, time: 1764000000000,
    visitor_id: 'v', session_id: 's', page: { path: '/pricing' } });
  const batches = [
    JSON.stringify({ events: [event('a', 'page_view'), event('b', 'cta_click')] }),
    JSON.stringify([event('a', 'lead')]),
    '{"events": [tru', '', '[]', JSON.stringify({ events: [event('x', 'nope')] }),
    '["\u0000"]',
  ];
  const model = JSON.stringify({ version: 1, rules: [
    { id: 'p', event: 'page_view', where: { 'page.path': { prefix: '/pricing' } },
      points: 15, once: true },
    { id: 'c', event: 'cta_click', points: 5 }],
    grades: [{ grade: 'A', min: 10 }, { grade: 'B', min: 0 }] });
  const now = 1764000000000;
  const scores = [[model, batches[0], now], [model, batches[1], now],
    ['{', batches[0], now]];
  const scripts = [];
  for (let i = 0; i < 300; i++) scripts.push(makeScript(r, i));
  const models = scoringModels();
  const histories = [];
  for (let i = 0; i < 3000; i++) {
    histories.push(makeHistory(r, i, 1 + Math.floor(r() ** 2 * 80), models));
  }
  const long_histories = [];
  for (let i = 0; i < 8; i++) {
    long_histories.push(makeHistory(r, 'L' + i, 1000, models));
  }
  // Its own generator, so the cases above stay as they were.
  const r2 = rng(20261205);
  const tracker_scripts = [];
  for (let i = 0; i < 300; i++) tracker_scripts.push(makeTrackerScript(r2));
  return { urls, referrers, emails, batches, scores, scripts, models,
    histories, long_histories, tracker_scripts };
}

function runScript(core, script, out) {
  const t = new core.Tracker(script.config, script.seed);
  out.push(t.configError());
  for (const op of script.ops) {
    if (op.op === 'page_view') {
      t.pageView(op.url, op.referrer, op.title, op.now, op.id || '');
    } else if (op.op === 'record') {
      out.push(t.record(op.type, op.name, op.props, op.now));
    } else if (op.op === 'identify') {
      t.identify(op.email);
    } else if (op.op === 'restore') {
      out.push(String(t.restore(op.state)));
    } else if (op.op === 'model') {
      out.push(t.setModel(op.model));
    } else if (op.op === 'adopt') {
      out.push(String(t.adoptVisitor(op.id)));
    } else if (op.op === 'clean') {
      out.push(t.cleanUrl(op.url));
    } else if (op.op === 'decorate') {
      // NaN reaches the driver as null, which it reads as 0; the adapter
      // must turn NaN into the same 0 here.
      out.push(t.decorateLink(op.href, op.page, op.now));
    } else if (op.op === 'touches') {
      out.push(t.touches());
    }
  }
  out.push(t.score(), t.fillValues(), t.takeEvents(), t.state(),
    t.visitorId(), t.touches());
  t.delete();
}

// The same loop as parity_driver.cpp, through the Embind API.
function runWasm(core, cases) {
  const out = [];
  for (const u of cases.urls) {
    out.push(core.parseUrl(u), core.parseQuery(u), core.extractCampaign(u));
  }
  for (const [ref, page] of cases.referrers) {
    out.push(core.classifyReferrer(ref, page));
  }
  // classifyVisit crosses to the core by its own path (wasm/visit_entry.js).
  for (const [ref, page] of cases.referrers) {
    const t = core.classifyVisit(page, ref);
    out.push(JSON.stringify([Object.keys(t), t.source, t.medium, t.channel]));
  }
  for (const e of cases.emails) out.push(core.hashEmail(e));
  for (const b of cases.batches) out.push(core.decodeBatch(b));
  for (const [m, e, now] of cases.scores) out.push(core.scoreEvents(m, e, now));
  for (const script of [...cases.scripts, ...cases.tracker_scripts]) {
    runScript(core, script, out);
  }
  for (const [m, events, now] of cases.histories) {
    out.push(core.scoreEvents(cases.models[m], events, now));
  }
  for (const [m, events, now] of cases.long_histories) {
    const scorer = new core.Scorer(cases.models[m]);
    out.push(scorer.error(), scorer.setEvents(events), scorer.score(now));
    scorer.delete();
  }
  return out;
}

test('native and wasm builds give byte-identical JSON', async (t) => {
  assert.ok(wasmDir && driver, 'set LOOPKIT_WASM_DIR and LOOPKIT_PARITY_DRIVER');
  const cases = makeCases();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopkit-parity-'));
  const file = path.join(dir, 'cases.json');
  fs.writeFileSync(file, JSON.stringify(cases));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const native = execFileSync(driver, [file], { maxBuffer: 512 * 1024 * 1024 })
    .toString('utf8').split('\n');
  native.pop();  // the text ends with a newline

  const { default: createLoopkitCore } = await import(
    pathToFileURL(path.join(wasmDir, 'loopkit-core.js')).href);
  const core = await createLoopkitCore({
    wasmBinary: fs.readFileSync(path.join(wasmDir, 'loopkit-core.wasm')),
  });
  const wasm = runWasm(core, cases);

  assert.equal(wasm.length, native.length, 'same number of answers');
  for (let i = 0; i < wasm.length; i++) {
    if (wasm[i] !== native[i]) {
      assert.fail(`answer ${i} differs\nwasm:   ${wasm[i].slice(0, 400)}\n` +
                  `native: ${native[i].slice(0, 400)}`);
    }
  }
  // Guard against a vacuous pass: the cases really exercised the core.
  assert.ok(wasm.length > 5000, `only ${wasm.length} answers`);
  assert.ok(wasm.some((line) => line.includes('"medium":"search"')));
  assert.ok(wasm.some((line) => line.includes('"email_sha256"')));
  // classifyVisit answers with non-ASCII text and with each kind of channel.
  const touches = wasm.filter((line) =>
    line.startsWith('[["source","medium","channel"],'));
  assert.equal(touches.length, cases.referrers.length);
  for (const needle of ['"日本語"', '"Organic Search"', '"Referral"',
    '"Direct"', '["source","medium","channel"],"","",""]']) {
    assert.ok(touches.some((line) => line.includes(needle)), needle);
  }
  // Scores with decayed fractions, statuses and every rule kind.
  const scored = wasm.filter((line) => line.startsWith('{"ok":true,"score"'));
  assert.ok(scored.length > 2000, `only ${scored.length} scores`);
  assert.ok(scored.some((line) => /"engagement":\d+\.\d/.test(line)));
  for (const status of ['"status":"sql"', '"status":"mql"',
    '"status":"engaged"']) {
    assert.ok(scored.some((line) => line.includes(status)), status);
  }
  // The tracker scripts reached links, payment returns and CTA details.
  for (const needle of ['"kind":"outbound"', '"kind":"mailto"',
    '"repeat click"', '_lk=', '"last_non_direct":{', '"x":121']) {
    assert.ok(wasm.some((line) => line.includes(needle)), needle);
  }
  assert.ok(wasm.includes('Visitor-0042'), 'a link id adopted');
  for (const rule of ['"rule":"burst"', '"rule":"recent_pricing"',
    '"rule":"rival"', '"rule":"size"', '"rule":"watched"']) {
    assert.ok(scored.some((line) => line.includes(rule)), rule);
  }
});

// The page's core has its own way across the boundary (wasm/page_entry.cpp,
// web/snippet/src/core.js): through it, the tracker scripts must give what
// they give through the full core's Embind Tracker.
test('the page core answers the tracker scripts as the full core does',
  async () => {
    assert.ok(wasmDir, 'set LOOPKIT_WASM_DIR');
    const cases = makeCases();
    const { default: createLoopkitCore } = await import(
      pathToFileURL(path.join(wasmDir, 'loopkit-core.js')).href);
    const full = await createLoopkitCore({
      wasmBinary: fs.readFileSync(path.join(wasmDir, 'loopkit-core.wasm')),
    });
    const { instantiateCore } = await import(
      new URL('../../web/snippet/src/core.js', import.meta.url).href);
    const page = await instantiateCore(await WebAssembly.compile(
      fs.readFileSync(path.join(wasmDir, 'loopkit-page.wasm'))));

    const run = (core) => {
      const out = [];
      for (const script of [...cases.scripts, ...cases.tracker_scripts]) {
        runScript(core, script, out);
      }
      // More than the core's initial 16 MiB of memory: the wrapper must
      // write and read through the grown memory.
      const t = new core.Tracker('{"site":"grow"}', 'ab');
      const long = 'https://shop.test/?q=' + 'é'.repeat(6 << 20) + '&_lk=a.1';
      t.pageView(long, '', 'ü', 1764000000000, '');
      out.push(t.cleanUrl(long), t.takeEvents(), t.sessionId());
      t.delete();
      return out;
    };
    const expected = run(full);
    const answers = run(page);

    assert.equal(answers.length, expected.length, 'same number of answers');
    for (let i = 0; i < answers.length; i++) {
      if (answers[i] !== expected[i]) {
        assert.fail(`answer ${i} differs\npage: ${answers[i].slice(0, 400)}\n` +
                    `full: ${expected[i].slice(0, 400)}`);
      }
    }
    assert.ok(answers.some((line) => line.includes('"page_view"')));
    assert.ok(answers.includes('true') && answers.includes('false'));
    assert.ok(answers.at(-3).endsWith('é'.repeat(8)), 'the long URL, cleaned');
    assert.ok(answers.at(-2).includes('"title":"ü"'), 'its page view');

    // A Tracker replaced by a newer one refuses calls rather than reaching
    // the newer one's state.
    const first = new page.Tracker('{}', '1');
    const second = new page.Tracker('{"bogus":1}', '2');
    assert.throws(() => first.visitorId(), /deleted/);
    assert.equal(second.configError(), '/bogus: unknown field');
    assert.throws(() => second.record('track', 7, '{}', 0), TypeError);
    second.delete();
  });
