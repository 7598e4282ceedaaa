import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { createCodec } from '../../src/indexer/codecs/registry.ts';
import { formatProblem } from '../../src/indexer/config-problems.ts';
import { Event } from '../../src/indexer/event.ts';
import { compileFilters, filtersSchema, validateFilters } from '../../src/indexer/pipeline-filters.ts';
import { isLoglaneError } from '../../src/errors/loglane-error.ts';

const config = parse(`
filters:
  - grok: { match: { message: "%{COMBINEDAPACHELOG}" } }
  - date: { match: [timestamp, "dd/MMM/yyyy:HH:mm:ss Z"], remove_field: [timestamp] }
  - if: '[response] >= 500'
    then:
      - mutate: { add_tag: [server_error] }
    else_if:
      - condition: '[response] >= 400'
        then: [ { mutate: { add_tag: [client_error] } } ]
      - condition: '"_grokparsefailure" in [tags]'
        then: []
    else:
      - drop: {}
  - if: '[verb] == "POST" and [bytes]'
    then:
      - mutate: { convert: { bytes: integer } }
      - if: '[bytes] > 1000'
        then: [ { add_tags: { tags: [big] } } ]
  - fingerprint: { source: [clientip, timestamp, request], concatenate_sources: true }
`) as { filters: unknown[] };

const line = (code: number, verb = 'GET', bytes = '512') => `10.0.0.1 - - [17/May/2015:10:05:03 +0000] "${verb} /x HTTP/1.1" ${code} ${bytes} "-" "curl/8"`;
const plain = createCodec('plain');
const pipeline = compileFilters(config.filters);
const run = (message: string) => pipeline.run(plain.decode(message).events[0]!);

const branches: [string, string, string[] | null][] = [
  ['5xx goes to the then branch', line(503), ['server_error']],
  ['4xx goes to the first else_if', line(404), ['client_error']],
  ['a non-matching line goes to the second else_if (empty branch)', 'garbage', ['_grokparsefailure', '_dateparsefailure']],
  ['2xx goes to else and is dropped', line(200), null],
  ['nested conditionals and a list-valued condition', line(500, 'POST', '4096'), ['server_error', 'big']],
  ['nested condition not met', line(500, 'POST', '10'), ['server_error']],
];

for (const [name, message, tags] of branches) {
  test(`filters pipeline: ${name}`, () => {
    const out = run(message);
    if (tags === null) {
      assert.equal(out.length, 0);
      return;
    }
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.tags, tags);
  });
}

test('filters pipeline: fields after the whole chain', () => {
  const [event] = run(line(503));
  const doc = event!.toDocument();
  assert.equal(doc['@timestamp'], '2015-05-17T10:05:03.000Z');
  assert.equal('timestamp' in doc, false);
  assert.match(String(event!.get('[@metadata][fingerprint]')), /^[0-9a-f]{40}$/);
});

test('filters pipeline: runBatch keeps order and drops', () => {
  const events = [line(503), line(200), line(404)].map((m) => plain.decode(m).events[0]!);
  const out = pipeline.runBatch(events);
  assert.deepEqual(
    out.map((e) => e.get('response')),
    ['503', '404'],
  );
});

test('filters pipeline: an empty or missing list passes events through', () => {
  for (const raw of [[], null, undefined]) {
    const p = compileFilters(raw);
    const event = new Event({ a: 1 });
    assert.deepEqual(p.run(event), [event]);
  }
});

test('filters pipeline: list of filter instances', () => {
  assert.deepEqual(
    pipeline.filters.map((f) => f.name),
    ['grok', 'date', 'mutate', 'mutate', 'drop', 'mutate', 'add_tags', 'fingerprint'],
  );
});

const bad = parse(`
filters:
  - grok: { match: { message: "%{IPORHOST:client} %{COMBINEDAPACHELOGG}" } }
  - grokk: {}
  - if: '[a] = 1'
    then: []
    else_if:
      - condition: '[b] =~ /(/'
        then: [ { mutate: { convert: { x: int } } } ]
      - condition: '[c]'
    elif: []
  - date: { match: [ts], timezone: Nowhere }
  - mutate: { add_tag: 5 }
  - { grok: {}, json: {} }
  - just text
  - kv: { source: "a[b]" }
`) as { filters: unknown[] };

const expectedProblems: [string, string, number?][] = [
  ['filters[0].grok.match.message', 'unknown grok pattern COMBINEDAPACHELOGG; did you mean COMBINEDAPACHELOG?', 20],
  ['filters[1].grokk', 'a known filter (did you mean "grok"?)'],
  ['filters[2].elif', 'did you mean "else_if"?'],
  ['filters[2].if', 'a valid condition (at column 5 it needs "==" or "=~", not "=")', 5],
  ['filters[2].else_if[0].condition', 'a valid condition (at column 8 it needs a valid regex', 8],
  ['filters[2].else_if[0].then[0].mutate.convert.x', 'one of "integer"'],
  ['filters[2].else_if[1].then', 'a "then:" list'],
  ['filters[3].date.match', 'a field followed by at least one format'],
  ['filters[4].mutate.add_tag', 'a string or a list'],
  ['filters[5]', 'one filter per list item, found grok, json'],
  ['filters[6]', 'a filter (e.g. - grok: {...}) or a conditional'],
  ['filters[7].kv.source', 'a field reference like name or [a][b]', 2],
];

test('filters config problems: every problem with its key path, message and column', () => {
  const { problems } = validateFilters(bad.filters);
  const rendered = problems.map((p) => ({ path: formatProblem(p, 'filters').split(': ')[0], problem: p }));
  assert.equal(problems.length, expectedProblems.length, problems.map((p) => formatProblem(p, 'filters')).join('\n'));
  for (const [path, message, column] of expectedProblems) {
    const found = rendered.find((r) => r.path === path && r.problem.message.includes(message));
    assert.ok(found, `no problem at ${path} containing ${message}; got:\n${problems.map((p) => formatProblem(p, 'filters')).join('\n')}`);
    if (column !== undefined) assert.equal(found.problem.column, column, path);
  }
});

test('filters config problems: a bad timezone is found once the schema passes', () => {
  const { problems } = validateFilters([{ date: { match: ['ts', 'ISO8601'], timezone: 'Nowhere' } }]);
  assert.deepEqual(problems[0]!.path, [0, 'date', 'timezone']);
});

test('compileFilters throws one LoglaneError listing the problems', () => {
  assert.throws(
    () => compileFilters(bad.filters),
    (error: unknown) => {
      assert.ok(isLoglaneError(error, 'LOGLANE_ERR_CONFIG_INVALID'));
      assert.equal(error.retriable, false);
      assert.match(error.message, /filters\[0\]\.grok\.match\.message: expected a valid grok expression: unknown grok pattern COMBINEDAPACHELOGG/);
      assert.equal((error.context.problems as unknown[]).length, expectedProblems.length);
      return true;
    },
  );
});

test('filtersSchema: issues at their full key path inside a bigger config, defaults in the output', () => {
  const schema = z.strictObject({ pipelines: z.array(z.strictObject({ name: z.string(), filters: filtersSchema })) });
  const ok = schema.parse(parse("pipelines: [{ name: p, filters: [{ drop: null }, { if: '[a]', then: [{ json: { source: m } }] }] }]"));
  const common = { add_tag: [], remove_tag: [], add_field: {}, remove_field: [] };
  assert.deepEqual(ok.pipelines[0]!.filters[0], { drop: { percentage: 100, ...common } });
  assert.equal((ok.pipelines[0]!.filters[1] as { if: string }).if, '[a]');
  assert.deepEqual((ok.pipelines[0]!.filters[1] as { then: unknown[] }).then[0], { json: { source: 'm', skip_on_invalid_json: false, tag_on_failure: ['_jsonparsefailure'], ...common } });
  const result = schema.safeParse(parse("pipelines: [{ name: p, filters: [{ drop: {} }, { if: '[a] ==', then: [] }, { grok: { match: { message: '%{NOPE}' } } }] }]"));
  assert.ok(!result.success);
  assert.deepEqual(
    result.error.issues.map((i) => i.path),
    [
      ['pipelines', 0, 'filters', 1, 'if'],
      ['pipelines', 0, 'filters', 2, 'grok', 'match', 'message'],
    ],
  );
  assert.deepEqual((result.error.issues[0] as { params?: unknown }).params, { column: 7 });
  assert.equal(schema.safeParse({ pipelines: [{ name: 'p', filters: 'grok' }] }).success, false);
});

test('the validated output compiles to the same behaviour', () => {
  const steps = filtersSchema.parse(config.filters);
  const again = compileFilters(steps);
  assert.deepEqual(
    again.run(plain.decode(line(404)).events[0]!).map((e) => e.tags),
    [['client_error']],
  );
});
