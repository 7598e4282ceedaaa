/**
 * Auto-generated document ids: 20 URL-safe base64 characters, like Elasticsearch's.
 * The first bytes are the time, so new ids sort after old ones and land at the end of
 * the `_id` index instead of at random places in it.
 */
import { randomBytes } from 'node:crypto';

const node = randomBytes(6);
let lastTime = 0;
let sequence = randomBytes(3).readUIntBE(0, 3);

export function autoId(now = Date.now()): string {
  const bytes = Buffer.allocUnsafe(15);
  const time = Math.max(now, lastTime);
  if (time === lastTime) {
    sequence = (sequence + 1) & 0xffffff;
    if (sequence === 0) lastTime = time + 1; // 16M ids in one millisecond: borrow the next one
  }
  lastTime = Math.max(lastTime, time);
  bytes.writeUIntBE(lastTime, 0, 6);
  bytes.writeUIntBE(sequence, 6, 3);
  node.copy(bytes, 9);
  return bytes.toString('base64url');
}
