import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../../../src/indexer/event.ts';
import { createRequestBuilder } from '../../../../src/indexer/outputs/elasticsearch/request-builder.ts';

const source = { topic: 'logs', partition: 2, offset: 41, sequence: 0 };
const event = () => Event.fromObject({ '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }, { metadata: { kafka: { topic: 'logs' }, _id: 'fp1' } });

const cases: { name: string; config: { index: string; action: 'index' | 'create' | 'update' | 'delete'; document_id: string }; sequence?: number; lines: unknown[] | string }[] = [
  { name: 'default: index named after the topic, kafka id', config: { index: '%{[@metadata][kafka][topic]}', action: 'index', document_id: 'kafka' }, lines: [{ index: { _index: 'logs', _id: 'logs-2-41' } }, { '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }] },
  { name: 'second event of a message gets a sequence suffix', config: { index: 'x', action: 'index', document_id: 'kafka' }, sequence: 3, lines: [{ index: { _index: 'x', _id: 'logs-2-41-3' } }, { '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }] },
  { name: 'date and field template, create, fingerprint id', config: { index: 'logs-%{[service]}-%{+yyyy.MM.dd}', action: 'create', document_id: '%{[@metadata][_id]}' }, lines: [{ create: { _index: 'logs-api-2026.11.23', _id: 'fp1' } }, { '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }] },
  { name: 'auto id', config: { index: 'x', action: 'create', document_id: 'auto' }, lines: [{ create: { _index: 'x' } }, { '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }] },
  { name: 'update is an upsert', config: { index: 'x', action: 'update', document_id: 'kafka' }, lines: [{ update: { _index: 'x', _id: 'logs-2-41' } }, { doc: { '@timestamp': '2026-11-23T10:00:00.000Z', service: 'api', message: 'hi' }, doc_as_upsert: true }] },
  { name: 'delete has no source line', config: { index: 'x', action: 'delete', document_id: 'kafka' }, lines: [{ delete: { _index: 'x', _id: 'logs-2-41' } }] },
  { name: 'missing template field → failure', config: { index: '%{[nope]}', action: 'index', document_id: 'kafka' }, lines: 'lacks' },
  { name: 'uppercase index → failure', config: { index: 'Logs', action: 'index', document_id: 'kafka' }, lines: 'invalid index name' },
  { name: 'delete with auto id → failure', config: { index: 'x', action: 'delete', document_id: 'auto' }, lines: 'needs a document id' },
];

for (const c of cases) {
  test(`request builder: ${c.name}`, () => {
    const result = createRequestBuilder(c.config).build(event(), { ...source, sequence: c.sequence ?? 0 });
    if (typeof c.lines === 'string') {
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, new RegExp(c.lines));
      return;
    }
    assert.ok(result.ok);
    assert.ok(result.item.body.endsWith('\n'));
    assert.deepEqual(result.item.body.trimEnd().split('\n').map((l) => JSON.parse(l)), c.lines);
    assert.equal(result.item.bytes, Buffer.byteLength(result.item.body));
  });
}
