import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { scanSegmentFile } from '../../../src/broker/log/segment-scan.ts';
import { encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

/** Writes batches (each bigger than the 256-byte scan chunk used below) to a file. */
async function segmentFile(t: import('node:test').TestContext, batches: Buffer[]): Promise<{ fd: number; size: number }> {
  const file = path.join(await tempDir(t), 'seg.log');
  fs.writeFileSync(file, Buffer.concat(batches));
  const fd = fs.openSync(file, 'r');
  defer(t, () => fs.closeSync(fd));
  return { fd, size: fs.fstatSync(fd).size };
}

const batches = (): Buffer[] => Array.from({ length: 4 }, (_, i) => encodeBatch(sizedRecords(5, 200), { baseOffset: i * 5 }));

for (const chunk of [256, 1 << 20]) {
  test(`scanSegmentFile accepts valid batches (chunk ${chunk})`, async (t) => {
    const { fd, size } = await segmentFile(t, batches());
    const seen: number[] = [];
    const result = await scanSegmentFile(
      fd,
      size,
      (h) => {
        seen.push(h.baseOffset);
        return null;
      },
      chunk,
    );
    assert.deepEqual(result, { validBytes: size, reason: null });
    assert.deepEqual(seen, [0, 5, 10, 15]);
  });

  test(`scanSegmentFile stops at a CRC mismatch (chunk ${chunk})`, async (t) => {
    const b = batches();
    b[2]![b[2]!.length - 10]! ^= 0xff;
    const { fd, size } = await segmentFile(t, b);
    const result = await scanSegmentFile(fd, size, () => null, chunk);
    assert.equal(result.validBytes, b[0]!.length + b[1]!.length);
    assert.match(result.reason!, /CRC/);
  });
}

test('scanSegmentFile stops at a torn tail and where the visitor says', async (t) => {
  const b = batches();
  const { fd, size } = await segmentFile(t, [...b.slice(0, 3), b[3]!.subarray(0, 100)]);
  const result = await scanSegmentFile(fd, size, () => null, 256);
  assert.equal(result.validBytes, b[0]!.length + b[1]!.length + b[2]!.length);
  const stopped = await scanSegmentFile(fd, size, (h) => (h.baseOffset === 5 ? 'stop here' : null), 256);
  assert.deepEqual(stopped, { validBytes: b[0]!.length, reason: 'stop here' });
});
