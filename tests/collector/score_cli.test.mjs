// `loopkit score`: the real binary on files in a temp folder, its output
// compared byte for byte.
//
//   LOOPKIT_BIN=build/native/collector/loopkit node --test tests/collector/
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const bin = process.env.LOOPKIT_BIN
const day = 24 * 60 * 60 * 1000
const t0 = 1764000000000
const now = t0 + 2 * day

// One half-life a day, so the arithmetic below is exact: a page view two
// days old keeps a quarter of its 10 points. A stage name with a comma
// checks the CSV quoting.
const model = {
  version: 2,
  fit: {
    rules: [{ id: 'cto', description: 'Chief technology officer',
      fields: { job_title: 'CTO' }, points: 20 }],
    grades: [{ grade: 'A', min: 20 }, { grade: 'B', min: 0 }],
  },
  engagement: {
    half_life: '1d',
    rules: [
      { id: 'view', description: 'Viewed a page', event: 'page_view',
        points: 10 },
      { id: 'lead', description: 'Sent a lead form', event: 'lead',
        count: 'once', points: 30 },
    ],
    stages: [{ stage: 'hot', min: 30 }, { stage: 'cold, for now', min: 0 }],
  },
  statuses: [{ status: 'mql', grade: 'A', stage: 'hot' }],
}

function event(id, visitor, type, time, props = {}) {
  return { id, type, time, visitor_id: visitor, session_id: 's-' + visitor,
    site: 'test', props }
}

// bob first, so the order of the output is the score's, not the file's.
const events = [
  event('b1', 'bob', 'page_view', t0 + day),
  event('a1', 'ada', 'page_view', t0),
  event('a2', 'ada', 'lead', now,
    { form: 'signup', fields: { name: 'Ada', job_title: 'CTO' } }),
]

let dir
const file = (name) => path.join(dir, name)

function score(args, input) {
  const run = spawnSync(bin, ['score', ...args], { encoding: 'utf8', input })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

before(() => {
  assert.ok(bin, 'set LOOPKIT_BIN to the built loopkit binary')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopkit-score-'))
  fs.writeFileSync(file('model.json'), JSON.stringify(model))
  // The collector's API adds received_at; a blank line is skipped.
  const lines = events.map((e, i) =>
    JSON.stringify(i === 1 ? { ...e, received_at: now } : e))
  fs.writeFileSync(file('events.ndjson'), lines.join('\n') + '\n\n')
})

after(() => fs.rmSync(dir, { recursive: true, force: true }))

const args = (...more) => ['--model', file('model.json'),
  '--events', file('events.ndjson'), '--now', String(now), ...more]

// ada: fit 20 (A); engagement 10 / 2 / 2 = 2.5 for a view two half-lives
// old, plus 30 for today's lead = 32.5 (hot); A and hot make an MQL.
// bob: one view a day old, 10 / 2 = 5.
test('a table lists visitors best first with fit, grade, engagement, stage ' +
  'and status', () => {
  const run = score(args())

  assert.equal(run.stderr, '')
  assert.equal(run.code, 0)
  assert.equal(run.stdout, [
    'visitor_id  points  fit  grade  engagement  stage          status  events',
    'ada           52.5   20  A            32.5  hot            mql          2',
    'bob              5    0  B               5  cold, for now  -            1',
    '',
  ].join('\n'))
})

test('CSV quotes what holds a comma and ends lines with CRLF', () => {
  const run = score(args('--format', 'csv'))

  assert.equal(run.code, 0)
  assert.equal(run.stdout, [
    'visitor_id,points,fit,grade,engagement,stage,status,events',
    'ada,52.5,20,A,32.5,hot,mql,2',
    'bob,5,0,B,5,"cold, for now",,1',
    '',
  ].join('\r\n'))
})

test('JSON carries every reason with its points before decay and its events',
  () => {
    const run = score(args('--format=json'))

    assert.equal(run.code, 0)
    const because = (rule, score, description, points, before_decay, count,
      events) => ({ rule, score, description, points, before_decay, count,
      events })
    assert.deepEqual(JSON.parse(run.stdout), {
      now,
      visitors: [
        {
          visitor_id: 'ada', events: 2,
          score: {
            points: 52.5, fit: 20, engagement: 32.5, grade: 'A',
            stage: 'hot', status: 'mql',
            reasons: [
              because('cto', 'fit', 'Chief technology officer', 20, 20, 1,
                ['a2']),
              because('view', 'engagement', 'Viewed a page', 2.5, 10, 1,
                ['a1']),
              because('lead', 'engagement', 'Sent a lead form', 30, 30, 1,
                ['a2']),
            ],
          },
        },
        {
          visitor_id: 'bob', events: 1,
          score: {
            points: 5, fit: 0, engagement: 5, grade: 'B',
            stage: 'cold, for now', status: '',
            reasons: [because('view', 'engagement', 'Viewed a page', 5, 10, 1,
              ['b1'])],
          },
        },
      ],
    })
    assert.match(run.stdout, /^{\n {2}"now": /, 'indented for reading')
  })

test('events can come from standard input', () => {
  const text = fs.readFileSync(file('events.ndjson'), 'utf8')

  const run = score(['--model', file('model.json'), '--events', '-',
    '--now', String(now), '--format', 'csv'], text)

  assert.equal(run.code, 0)
  assert.match(run.stdout, /\r\nada,52\.5,/)
})

test('without --now the clock is the current time', () => {
  const run = score(['--model', file('model.json'),
    '--events', file('events.ndjson'), '--format', 'csv'])

  // A year and more of daily half-lives leaves nothing of the events.
  assert.equal(run.code, 0)
  assert.match(run.stdout, /\r\nada,20,20,A,0,"cold, for now",,2\r\n/)
})

test('without --model the built-in model scores', () => {
  const run = score(['--events', file('events.ndjson'), '--now', String(now),
    '--format', 'csv'])

  // The built-in model: CTO 20 (grade B), a lead form 30 (warm): an MQL.
  assert.equal(run.code, 0)
  assert.match(run.stdout, /\r\nada,50,20,B,30,warm,mql,2\r\n/)
})

test('a broken model is refused with its JSON path', () => {
  const broken = structuredClone(model)
  broken.engagement.half_life = '-1d'
  fs.writeFileSync(file('broken.json'), JSON.stringify(broken))

  const run = score(['--model', file('broken.json'),
    '--events', file('events.ndjson')])

  assert.equal(run.code, 1)
  assert.equal(run.stdout, '')
  assert.equal(run.stderr, 'loopkit: invalid scoring model ' +
    `${file('broken.json')}: /engagement/half_life: must not be negative\n`)
})

test('a bad event names its line and JSON path', () => {
  fs.writeFileSync(file('bad.ndjson'), JSON.stringify(events[0]) + '\n' +
    JSON.stringify({ ...events[1], type: 'purchase' }) + '\n')

  const run = score(['--events', file('bad.ndjson')])

  assert.equal(run.code, 1)
  assert.equal(run.stderr, 'loopkit: invalid event at ' +
    `${file('bad.ndjson')}:2: /type: unknown event type "purchase"\n`)
})

test('a bad command line exits with 2 and says why', () => {
  const cases = [
    [[], 'score needs --events FILE'],
    [args('--format', 'xml'), '--format must be table, csv or json'],
    [['--events', file('events.ndjson'), '--now', 'soon'],
      '--now must be milliseconds, like 1764000000000'],
    [['--events', file('events.ndjson'), '--colour'],
      'unknown option --colour'],
  ]
  for (const [argv, message] of cases) {
    const run = score(argv)

    assert.equal(run.code, 2, argv.join(' '))
    assert.equal(run.stderr, `loopkit: ${message}\n` +
      "Run 'loopkit score --help' for the options.\n")
  }
  const help = score(['--help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /^usage: loopkit score --events FILE/)
})
