/**
 * Bad bytes on the Kafka port: each malformed, truncated, oversized or unknown request
 * closes only its own connection; the broker keeps serving everyone else. Ends with a
 * bounded fuzz run of random and mutated frames.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { encodeRequestFrame } from '../../src/broker/protocol/header.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { RawKafkaClient } from '../helpers/raw-kafka-client.ts';
import { encodeBatch } from './log/helpers/record-batch-builder.ts';

const MAX_FRAME = 64 * 1024;

async function open(bootstrap: string): Promise<Socket> {
  const [host, port] = bootstrap.split(':');
  const socket = connect(Number(port), host!);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Writes bytes and resolves with what the broker did: closed the connection, or answered. */
async function outcome(bootstrap: string, bytes: Buffer, waitMs = 2000): Promise<'closed' | 'answered' | 'silent'> {
  const socket = await open(bootstrap);
  try {
    const result = new Promise<'closed' | 'answered' | 'silent'>((resolve) => {
      socket.once('close', () => resolve('closed'));
      socket.once('data', () => resolve('answered'));
      setTimeout(() => resolve('silent'), waitMs).unref();
    });
    socket.write(bytes);
    return await result;
  } finally {
    socket.destroy();
  }
}

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function header(apiKey: number, version: number, correlationId = 1): Buffer {
  const b = Buffer.alloc(10);
  b.writeInt16BE(apiKey, 0);
  b.writeInt16BE(version, 2);
  b.writeInt32BE(correlationId, 4);
  b.writeInt16BE(-1, 8); // null client id
  return b;
}

async function stillServes(bootstrap: string): Promise<void> {
  const c = await RawKafkaClient.connect(bootstrap);
  try {
    const response = await c.request(18, 2, {});
    assert.equal(response.errorCode, 0);
  } finally {
    c.close();
  }
}

test('malformed frames close their own connection only', async (t) => {
  const { bootstrap } = await startTestBroker(t, { socket_request_max_bytes: MAX_FRAME });
  const healthy = await RawKafkaClient.connect(bootstrap);
  t.after(() => healthy.close());
  const cases: [string, Buffer][] = [
    ['negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3])],
    ['frame over socket_request_max_bytes', Buffer.concat([Buffer.from([0, 0x10, 0, 0]), randomBytes(16)])],
    ['unknown API key', frame(header(999, 0))],
    ['unsupported Produce version', frame(header(0, 99))],
    ['Fetch below its minimum version', frame(header(1, 0))],
    ['header cut short', frame(Buffer.from([0, 3, 0]))],
    ['Produce body cut short', frame(Buffer.concat([header(0, 7), Buffer.from([0xff, 0xff, 0, 0, 0x13])]))],
    ['array length larger than the frame', frame(Buffer.concat([header(3, 1), Buffer.from([0x7f, 0xff, 0xff, 0xff])]))],
  ];
  for (const [name, bytes] of cases) {
    assert.equal(await outcome(bootstrap, bytes), 'closed', name);
  }
  // The healthy connection opened before all this still works, and so do new ones.
  assert.equal((await healthy.request(18, 0, {})).errorCode, 0);
  await stillServes(bootstrap);
});

test('pipelined requests are answered in order, a long poll included', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const c = await RawKafkaClient.connect(bootstrap);
  t.after(() => c.close());
  const topic = uniqueTopic();
  await c.request(3, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });
  const order: string[] = [];
  const fetch = c
    .request(1, 11, {
      maxWaitMs: 300,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    })
    .then(() => order.push('fetch'));
  const versions = c.request(18, 2, {}).then(() => order.push('apiVersions'));
  await Promise.all([fetch, versions]);
  assert.deepEqual(order, ['fetch', 'apiVersions']);
});

test('fuzz: random and mutated frames never crash the broker', async (t) => {
  const { bootstrap } = await startTestBroker(t, { socket_request_max_bytes: MAX_FRAME });
  const topic = uniqueTopic();
  const valid = [
    Buffer.concat(encodeRequestFrame({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'fuzz' }, { clientSoftwareName: 'f', clientSoftwareVersion: '1' })),
    Buffer.concat(encodeRequestFrame({ apiKey: 3, apiVersion: 12, correlationId: 2, clientId: 'fuzz' }, { topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: topic }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false })),
    Buffer.concat(
      encodeRequestFrame(
        { apiKey: 0, apiVersion: 9, correlationId: 3, clientId: 'fuzz' },
        { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch([{ value: 'x' }]) }] }] },
      ),
    ),
  ];
  const deadline = Date.now() + 8_000;
  let iterations = 0;
  while (Date.now() < deadline && iterations < 400) {
    iterations++;
    let bytes: Buffer;
    if (iterations % 3 === 0) {
      bytes = randomBytes(1 + Math.floor(Math.random() * 200));
    } else {
      bytes = Buffer.from(valid[iterations % valid.length]!);
      const flips = 1 + Math.floor(Math.random() * 4);
      for (let i = 0; i < flips; i++) bytes[4 + Math.floor(Math.random() * (bytes.length - 4))] = Math.floor(Math.random() * 256);
      if (iterations % 5 === 0) bytes = bytes.subarray(0, Math.floor(Math.random() * bytes.length));
    }
    await outcome(bootstrap, bytes, 50);
  }
  assert.ok(iterations >= 50, `ran ${iterations} fuzz cases`);
  await stillServes(bootstrap);
});

test('stopping the broker closes an idle connection as soon as its client closes its end, without waiting out the drain timeout', async (t) => {
  const { broker, bootstrap } = await startTestBroker(t);
  const socket = await open(bootstrap);
  const clientClosed = once(socket, 'close');
  // A client that answers the broker's end of the connection with its own (allowHalfOpen: false, as Kafka clients do).
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const winner = await Promise.race([
    broker.stop().then(() => 'stopped' as const),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 4_000); // the drain timeout is 5 s
    }),
  ]);
  clearTimeout(timer);
  assert.equal(winner, 'stopped', `the broker took ${Date.now() - started} ms to stop with one idle connection`);
  await clientClosed;
});
