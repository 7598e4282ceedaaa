import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EsError } from '../../../src/store/errors.ts';
import { parseDocument } from '../../../src/store/mapping/document.ts';
import { Mapping } from '../../../src/store/mapping/mapping.ts';

const OPTIONS = { id: '1', errorType: 'document_parsing_exception' as const, totalFieldsLimit: 1000 };

function parse(mapping: Mapping, doc: Record<string, unknown>) {
  return parseDocument(mapping, doc, OPTIONS);
}

function dynamicMapping(doc: Record<string, unknown>) {
  const mapping = Mapping.empty();
  const parsed = parse(mapping, doc);
  return mapping.merge({ properties: parsed.mappingUpdate ?? {} }).toJSON().properties;
}

test('dynamic mapping maps values the way Elasticsearch does', () => {
  assert.deepEqual(
    dynamicMapping({
      message: 'hello',
      count: 3,
      ratio: 0.5,
      ok: true,
      '@timestamp': '2024-05-01T12:00:00.123Z',
      day: '2024/05/01',
      user: { name: 'ann', id: 7 },
      'http.status': 200,
      tags: ['a', 'b'],
      nothing: null,
      empty: [],
    }),
    {
      message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      count: { type: 'long' },
      ratio: { type: 'float' },
      ok: { type: 'boolean' },
      '@timestamp': { type: 'date' },
      day: { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' },
      user: { properties: { name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } }, id: { type: 'long' } } },
      http: { properties: { status: { type: 'long' } } },
      tags: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    },
  );
});

test('date_detection false and numeric_detection true change string detection', () => {
  const mapping = Mapping.parse({ date_detection: false, numeric_detection: true });
  const parsed = parse(mapping, { when: '2024-05-01', n: '12', f: '1.5', s: 'x' });
  assert.deepEqual(parsed.mappingUpdate, {
    when: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    n: { type: 'long' },
    f: { type: 'float' },
    s: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
  });
});

test('dynamic templates are applied before the default rules', () => {
  const mapping = Mapping.parse({
    dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }, { ids: { match: '*_id', mapping: { type: 'keyword' } } }],
  });
  const parsed = parse(mapping, { host: 'web-1', user_id: 42, n: 1 });
  assert.deepEqual(parsed.mappingUpdate, { host: { type: 'keyword' }, user_id: { type: 'keyword' }, n: { type: 'long' } });
  assert.deepEqual(parsed.values.get('user_id'), ['42']);
});

test('values are converted with coercion; keyword multi-fields respect ignore_above', () => {
  const mapping = Mapping.parse({
    properties: {
      n: { type: 'long' },
      i: { type: 'integer' },
      d: { type: 'double' },
      b: { type: 'boolean' },
      t: { type: 'date', format: 'epoch_second' },
      ip: { type: 'ip' },
      k: { type: 'keyword', ignore_above: 3 },
      msg: { type: 'text', fields: { raw: { type: 'keyword' } } },
    },
  });
  const parsed = parse(mapping, { n: '12', i: 3.9, d: '1.5', b: 'false', t: 1714521600, ip: '10.0.0.1', k: ['abc', 'abcd'], msg: 'Hi there' });
  assert.deepEqual(Object.fromEntries(parsed.values), {
    n: [12],
    i: [3],
    d: [1.5],
    b: [false],
    t: [1714521600000],
    ip: ['10.0.0.1'],
    k: ['abc'],
    msg: ['Hi there'],
    'msg.raw': ['Hi there'],
  });
  assert.equal(parsed.mappingUpdate, null);
});

const CONFLICTS: [string, Record<string, unknown>, Record<string, unknown>, string, RegExp][] = [
  ['string into long', { n: { type: 'long' } }, { n: 'abc' }, 'document_parsing_exception', /failed to parse field \[n\] of type \[long\] in document with id '1'\. Preview of field's value: 'abc'/],
  ['out of range integer', { n: { type: 'integer' } }, { n: 3_000_000_000 }, 'document_parsing_exception', /failed to parse field \[n\] of type \[integer\]/],
  ['bad boolean', { b: { type: 'boolean' } }, { b: 'yes' }, 'document_parsing_exception', /of type \[boolean\]/],
  ['bad date', { t: { type: 'date' } }, { t: 'yesterday' }, 'document_parsing_exception', /of type \[date\]/],
  ['bad ip', { ip: { type: 'ip' } }, { ip: 'nope' }, 'document_parsing_exception', /of type \[ip\]/],
  ['object into keyword', { k: { type: 'keyword' } }, { k: { a: 1 } }, 'document_parsing_exception', /Preview of field's value: '\{a=1\}'/],
  ['value into object', { o: { properties: { a: { type: 'long' } } } }, { o: 5 }, 'document_parsing_exception', /object mapping for \[o\] tried to parse field \[o\] as object, but found a concrete value/],
  ['strict', { dynamic: 'strict', properties: { a: { type: 'long' } } }, { a: 1, b: 2 }, 'strict_dynamic_mapping_exception', /dynamic introduction of \[b\] within \[_doc\] is not allowed/],
];

for (const [name, def, doc, type, reason] of CONFLICTS) {
  test(`a conflicting document fails alone: ${name}`, () => {
    const mapping = Mapping.parse(def.dynamic ? def : { properties: def });
    assert.throws(
      () => parse(mapping, doc),
      (error: unknown) => error instanceof EsError && error.status === 400 && error.type === type && reason.test(error.reason),
    );
  });
}

test('ignore_malformed skips a bad value instead of failing the document', () => {
  const mapping = Mapping.parse({ properties: { n: { type: 'long', ignore_malformed: true } } });
  assert.equal(parse(mapping, { n: 'abc' }).values.has('n'), false);
});

test('dynamic false keeps unknown fields out of the mapping; nested objects inherit strict', () => {
  const off = Mapping.parse({ dynamic: false, properties: { a: { type: 'long' } } });
  const parsed = parse(off, { a: 1, b: 'x', c: { d: 1 } });
  assert.equal(parsed.mappingUpdate, null);
  assert.deepEqual([...parsed.values.keys()], ['a']);
  const strict = Mapping.parse({ dynamic: 'strict', properties: { o: { properties: {} } } });
  assert.throws(() => parse(strict, { o: { x: 1 } }), /dynamic introduction of \[x\] within \[o\]/);
});

test('dotted keys and nested objects address the same field', () => {
  const mapping = Mapping.parse({ properties: { http: { properties: { status: { type: 'long' } } } } });
  assert.deepEqual(parse(mapping, { 'http.status': 200 }).values.get('http.status'), [200]);
  assert.deepEqual(parse(mapping, { http: { status: 404 } }).values.get('http.status'), [404]);
  assert.throws(() => parse(Mapping.parse({ properties: { a: { type: 'keyword' } } }), { 'a.b': 1 }), /Existing mapping for \[a\] must be of type object/);
});

test('the total fields limit counts new fields', () => {
  const doc = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, i]));
  assert.throws(() => parseDocument(Mapping.empty(), doc, { ...OPTIONS, totalFieldsLimit: 3 }), /Limit of total fields \[3\] has been exceeded/);
});

test('mapping merges refuse type changes and accept new fields and multi-fields', () => {
  const base = Mapping.parse({ properties: { a: { type: 'long' }, m: { type: 'text' } } });
  assert.throws(() => base.merge({ properties: { a: { type: 'keyword' } } }), (e: unknown) => e instanceof EsError && e.type === 'illegal_argument_exception' && /cannot be changed from type \[long\] to \[keyword\]/.test(e.reason));
  const merged = base.merge({ properties: { b: { type: 'ip' }, m: { type: 'text', fields: { k: { type: 'keyword' } } } } });
  assert.deepEqual(Object.keys(merged.toJSON().properties ?? {}), ['a', 'm', 'b']);
  assert.equal(merged.leaf('m.k')?.type, 'keyword');
  assert.throws(() => Mapping.parse({ properties: { x: { type: 'nonsense' } } }), /No handler for type \[nonsense\] declared on field \[x\]/);
  assert.throws(() => Mapping.parse({ properties: { t: { type: 'date', format: 'qqq' } } }), /Error parsing \[format\] on field \[t\]/);
});
