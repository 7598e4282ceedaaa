import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSubscriptionTopics } from '../../../src/broker/groups/consumer-protocol.ts';
import { subscription } from './helpers.ts';

test('reads the topics of any consumer subscription version and ignores what follows', () => {
  assert.deepEqual(decodeSubscriptionTopics(subscription('orders', 'users')), ['orders', 'users']);
  const v3 = Buffer.concat([subscription('ü-topic'), Buffer.from([0, 0, 0, 2, 1, 2, 0xff])]);
  v3.writeInt16BE(3, 0);
  assert.deepEqual(decodeSubscriptionTopics(v3), ['ü-topic']);
  assert.deepEqual(decodeSubscriptionTopics(subscription()), []);
});

test('returns null for bytes that are not a subscription', () => {
  for (const bytes of [Buffer.alloc(0), Buffer.from([0, 0, 0]), Buffer.from([0xff, 0xff, 0, 0, 0, 0]), Buffer.from([0, 0, 0, 0, 0, 2, 0, 1, 0x61])]) {
    assert.equal(decodeSubscriptionTopics(bytes), null, bytes.toString('hex'));
  }
  assert.equal(decodeSubscriptionTopics(Buffer.from([0, 0, 0xff, 0xff, 0xff, 0xff])), null, 'null topic array');
});
