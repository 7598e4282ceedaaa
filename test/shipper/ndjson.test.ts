import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ndjsonSchema } from '../../src/shipper/config.ts';
import { applyNdjson } from '../../src/shipper/ndjson.ts';

const base = () => ({ '@timestamp': '2024-01-01T00:00:00.000Z', message: '', log: { file: { path: '/x' } } });

test('an NDJSON line becomes structured fields at the root; the shipper fields win unless overwrite_keys', () => {
  const text = '{"level":"info","user":{"id":7},"@timestamp":"2020-01-01T00:00:00Z","log":{"logger":"a"}}';
  const event = { ...base(), message: text };
  assert.equal(applyNdjson(event, text, ndjsonSchema.parse({})), true);
  assert.deepEqual(event, { '@timestamp': '2024-01-01T00:00:00.000Z', level: 'info', user: { id: 7 }, log: { file: { path: '/x' }, logger: 'a' } });
  const over = { ...base() };
  applyNdjson(over, text, ndjsonSchema.parse({ overwrite_keys: true }));
  assert.equal(over['@timestamp'], '2020-01-01T00:00:00Z');
});

test('target puts the object under a field and keeps the message', () => {
  const event: Record<string, unknown> = { ...base(), message: '{"a":1}' };
  applyNdjson(event, '{"a":1}', ndjsonSchema.parse({ target: 'json' }));
  assert.deepEqual(event.json, { a: 1 });
  assert.equal(event.message, '{"a":1}');
});

test('a line that is not a JSON object is kept, tagged, with error.message when add_error_key', () => {
  for (const text of ['not json', '[1,2]', '42']) {
    const event: Record<string, unknown> = { ...base(), message: text };
    assert.equal(applyNdjson(event, text, ndjsonSchema.parse({})), false);
    assert.equal(event.message, text);
    assert.deepEqual(event.tags, ['_ndjsonparsefailure']);
    assert.equal(typeof (event.error as { message: string }).message, 'string');
  }
  const quiet: Record<string, unknown> = { ...base(), message: 'x' };
  applyNdjson(quiet, 'x', ndjsonSchema.parse({ add_error_key: false }));
  assert.equal(quiet.error, undefined);
});
