import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPackedBulk, PackedBulkWriter, packedBody, packedText } from '../../../../src/indexer/outputs/elasticsearch/packed-bulk.ts';

test('items back to back in one buffer; refused items have no bytes; bodies of consecutive items are views', () => {
  const writer = new PackedBulkWriter('index', 2);
  const lines = ['{"index":{"_id":"a"}}\n{"é":"ü"}\n', null, '{"index":{"_id":"c"}}\n{"n":3}\n', 'x'.repeat(5000)];
  for (const l of lines) {
    if (l === null) writer.refuse('no index name');
    else {
      writer.write(l);
      writer.end();
    }
  }
  const packed = writer.finish();
  assert.ok(isPackedBulk(packed));
  assert.equal(packed.count, 4);
  assert.deepEqual(packed.refused, [[1, 'no index name']]);
  assert.deepEqual([0, 1, 2, 3].map((i) => packedText(packed, i)), [lines[0], '', lines[2], lines[3]]);
  // 0 and 2 are consecutive in bytes (1 has none): one view of the same memory.
  const consecutive = packedBody(packed, [0, 2]);
  assert.equal(consecutive.toString(), `${lines[0]}${lines[2]}`);
  assert.equal(consecutive.buffer, packed.data.buffer);
  assert.equal(packedBody(packed, [0, 3]).toString(), `${lines[0]}${lines[3]}`);
  assert.equal(packedBody(packed, [3]).toString(), lines[3]);
});
