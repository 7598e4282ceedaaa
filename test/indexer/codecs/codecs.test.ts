import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeFailure, KafkaRecordInfo } from '../../../src/indexer/codecs/codec.ts';
import { CODEC_NAMES, codecConfigSchema, createCodec } from '../../../src/indexer/codecs/registry.ts';

const record: KafkaRecordInfo = {
  topic: 'logs',
  partition: 3,
  offset: 42n,
  key: Buffer.from('k1'),
  timestamp: 1714564800000n,
  headers: [
    ['trace', Buffer.from('abc')],
    ['empty', null],
  ],
};
const kafka = { topic: 'logs', partition: 3, offset: 42, key: 'k1', timestamp: 1714564800000, headers: { trace: 'abc', empty: null } };
const TS = '2024-05-01T12:00:00.000Z';

interface Case {
  codec: string;
  name: string;
  value: string | Buffer | null;
  /** Expected documents (`@timestamp` given explicitly in inputs to keep them fixed). */
  events: Record<string, unknown>[];
  failures?: Partial<DecodeFailure>[];
}

const cases: Case[] = [
  { codec: 'json', name: 'object', value: `{"@timestamp":"${TS}","message":"hi","level":"INFO"}`, events: [{ '@timestamp': TS, message: 'hi', level: 'INFO' }] },
  { codec: 'json', name: 'list of objects', value: `[{"@timestamp":"${TS}","a":1},{"@timestamp":"${TS}","a":2}]`, events: [{ '@timestamp': TS, a: 1 }, { '@timestamp': TS, a: 2 }] },
  { codec: 'json', name: 'trailing comma', value: '{"a":1,}', events: [], failures: [{ code: 'invalid_json', line: 1, column: 8, reason: 'invalid JSON at line 1, column 8: expected double-quoted property name' }] },
  { codec: 'json', name: 'truncated', value: '{"a":', events: [], failures: [{ code: 'invalid_json', line: 1, column: 6, reason: 'invalid JSON at line 1, column 6: unexpected end of input' }] },
  { codec: 'json', name: 'second line garbage', value: '{"a":1}\n{x', events: [], failures: [{ code: 'invalid_json', line: 2, column: 1 }] },
  { codec: 'json', name: 'bare token', value: 'hello', events: [], failures: [{ code: 'invalid_json', reason: "invalid JSON: unexpected token 'h'" }] },
  { codec: 'json', name: 'scalar', value: '42', events: [], failures: [{ code: 'not_an_object', reason: 'expected a JSON object, found a number' }] },
  { codec: 'json', name: 'list with a scalar', value: '[{"a":1},"x"]', events: [], failures: [{ code: 'not_an_object', reason: 'expected a JSON object or a list of objects, but list item 1 is a string' }] },
  { codec: 'json', name: 'invalid UTF-8', value: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), events: [], failures: [{ code: 'invalid_utf8', byteOffset: 6 }] },
  { codec: 'json', name: 'tombstone', value: null, events: [], failures: [{ code: 'no_value' }] },
  { codec: 'json', name: 'byte order mark', value: Buffer.from(`\uFEFF{"@timestamp":"${TS}","a":1}`), events: [{ '@timestamp': TS, a: 1 }] },
  {
    codec: 'ndjson',
    name: 'lines with one bad and blank ones',
    value: `{"@timestamp":"${TS}","n":1}\r\n\n{"n":2,}\n  \n{"@timestamp":"${TS}","n":3}\n[1]\n`,
    events: [{ '@timestamp': TS, n: 1 }, { '@timestamp': TS, n: 3 }],
    failures: [
      { code: 'invalid_json', line: 3, column: 8 },
      { code: 'not_an_object', line: 6, reason: 'expected a JSON object at line 6, found a list' },
    ],
  },
  { codec: 'plain', name: 'line', value: 'GET / 200\n', events: [{ message: 'GET / 200' }] },
  { codec: 'plain', name: 'CRLF and inner newlines kept', value: 'a\nb\r\n', events: [{ message: 'a\nb' }] },
  { codec: 'plain', name: 'JSON stays text', value: '{"a":1}', events: [{ message: '{"a":1}' }] },
  { codec: 'plain', name: 'invalid UTF-8 replaced', value: Buffer.from([0x61, 0xff, 0x62]), events: [{ message: 'a\uFFFDb' }] },
  { codec: 'auto', name: 'JSON object stays structured', value: `  {"@timestamp":"${TS}","level":"ERROR"}`, events: [{ '@timestamp': TS, level: 'ERROR' }] },
  { codec: 'auto', name: 'text', value: 'plain words', events: [{ message: 'plain words' }] },
  { codec: 'auto', name: 'broken JSON', value: '{"a":', events: [{ message: '{"a":' }] },
  { codec: 'auto', name: 'JSON scalar', value: '"quoted"', events: [{ message: '"quoted"' }] },
  { codec: 'auto', name: 'JSON list', value: '[{"a":1}]', events: [{ message: '[{"a":1}]' }] },
  { codec: 'auto', name: 'tombstone', value: null, events: [], failures: [{ code: 'no_value' }] },
];

for (const c of cases) {
  test(`codec ${c.codec}: ${c.name}`, () => {
    const result = createCodec(c.codec as 'json').decode(c.value, record);
    const docs = result.events.map((e) => {
      const doc = { ...e.toDocument() };
      if (!('@timestamp' in (c.events[0] ?? {}))) {
        assert.match(String(doc['@timestamp']), /^\d{4}-\d\d-\d\dT/);
        delete doc['@timestamp'];
      }
      return doc;
    });
    assert.deepEqual(docs, c.events);
    for (const e of result.events) assert.deepEqual(e.get('[@metadata][kafka]'), kafka);
    assert.equal(result.failures.length, c.failures?.length ?? 0, JSON.stringify(result.failures));
    (c.failures ?? []).forEach((expected, i) => {
      const actual = result.failures[i]!;
      assert.equal(actual.codec, c.codec);
      for (const [key, value] of Object.entries(expected)) assert.equal(actual[key as keyof DecodeFailure], value, `${key} of ${JSON.stringify(actual)}`);
    });
  });
}

test('events of one message have separate metadata objects', () => {
  const { events } = createCodec('json').decode('[{"a":1},{"a":2}]', record);
  events[0]!.set('[@metadata][kafka][headers][trace]', 'changed');
  assert.equal(events[1]!.get('[@metadata][kafka][headers][trace]'), 'abc');
});

test('without record information there is no kafka metadata', () => {
  const { events } = createCodec('plain').decode('x');
  assert.deepEqual(events[0]!.metadata, {});
});

test('big offsets stay exact as strings', () => {
  const { events } = createCodec('plain').decode('x', { topic: 't', partition: 0, offset: 2n ** 60n });
  assert.equal(events[0]!.get('[@metadata][kafka][offset]'), String(2n ** 60n));
});

test('codec config: a name or { type }, default auto', () => {
  assert.deepEqual(CODEC_NAMES.sort(), ['auto', 'json', 'ndjson', 'plain']);
  assert.equal(codecConfigSchema.parse(undefined), 'auto');
  assert.deepEqual(codecConfigSchema.parse({ type: 'ndjson' }), { type: 'ndjson' });
  assert.equal(codecConfigSchema.safeParse('xml').success, false);
  assert.equal(createCodec({ type: 'ndjson' }).name, 'ndjson');
});
