/**
 * An idempotent producer whose connection is cut mid-produce retries without creating
 * duplicates.
 *
 * A TCP proxy (fixtures/tcp-proxy.ts) sits between the client and the broker process; the
 * broker advertises the proxy's address, so every connection, bootstrap or not, goes
 * through it. While the producer works through N numbered records (record n goes to
 * partition n % 3 with key and value `n`), the test cuts every connection several times,
 * alternately with FIN and with RST, at moments that fall inside the produce: requests
 * are lost on the way in, or stored with their answer lost on the way out. Then the test
 * reads the topic and asserts, per partition, that the records are exactly those sent to
 * it, each once, in the order they were produced.
 *
 * Clients: librdkafka 2.0 (confluent-kafka-python, enable.idempotence=true, up to 5
 * requests in flight) and KafkaJS 2.2 (idempotent: true, one request in flight).
 *
 * What can honestly be asserted: both clients retry a lost request with the same producer
 * id, epoch and sequence numbers, so the broker must answer a retry of a stored batch as a
 * duplicate, and reject nothing that is in sequence: zero duplicates, nothing missing, no
 * reordering. A client may still give up on some records (librdkafka after
 * message.timeout.ms, or a fatal idempotence error; KafkaJS retries an idempotent send
 * forever). Such records are re-sent by the test with a plain producer, and only those
 * may then appear twice; every other record must appear exactly once, and the records
 * that were never re-sent must keep their order. Giving up is reported, and the fatal
 * error of librdkafka (which would mean the broker broke the sequence contract) fails the
 * test. The broker's duplicate counter is reported to show that the cuts did make clients
 * resend batches the broker had already stored.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { uniqueTopic } from '../helpers/broker.ts';
import { BrokerProcess, cleanupStack, delay, randomBetween } from './fixtures/broker-process.ts';
import { createTopic, kafkaJs, readTopic } from './fixtures/kafka-tools.ts';
import { LineProcess } from './fixtures/line-process.ts';
import { TcpProxy } from './fixtures/tcp-proxy.ts';

const PARTITIONS = 3;
const CUTS = 10;

async function brokerBehindProxy(t: TestContext, cleanup: (step: () => unknown) => void) {
  const proxy = await TcpProxy.start();
  cleanup(() => proxy.close());
  const broker = await BrokerProcess.start(t, { broker: { advertised_host: '127.0.0.1', advertised_port: proxy.port, auto_create_topics: false } });
  proxy.target(broker.port);
  const topic = uniqueTopic('idempotent');
  await createTopic(proxy.address, topic, PARTITIONS);
  return { proxy, broker, topic };
}

/**
 * Checks the stored topic against records 0..count-1 (record n in partition n % PARTITIONS).
 * `resent` holds the records the test had to send again after the client gave up on them.
 */
async function assertExactlyOnceInOrder(t: TestContext, bootstrap: string, topic: string, count: number, resent: ReadonlySet<number>): Promise<void> {
  const stored = await readTopic(bootstrap, topic);
  const copies = new Map<number, number>();
  const problems: string[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    let previous = -1;
    for (const record of stored.filter((r) => r.partition === partition)) {
      const n = Number(record.value);
      if (!Number.isInteger(n) || n < 0 || n >= count || n % PARTITIONS !== partition || record.key !== record.value) {
        problems.push(`unexpected record ${JSON.stringify(record)}`);
        continue;
      }
      copies.set(n, (copies.get(n) ?? 0) + 1);
      if (resent.has(n)) continue;
      if (n <= previous) problems.push(`partition ${partition}: ${n} stored after ${previous}`);
      previous = n;
    }
  }
  let duplicates = 0;
  let missing = 0;
  for (let n = 0; n < count; n++) {
    const c = copies.get(n) ?? 0;
    if (c === 0) missing++;
    if (c > 1) duplicates += c - 1;
    if (c === 0 || (c > 1 && !resent.has(n))) problems.push(`record ${n} stored ${c} times`);
    if (c > 2) problems.push(`re-sent record ${n} stored ${c} times`);
  }
  t.diagnostic(`stored ${stored.length} records for ${count} produced: ${missing} missing, ${duplicates} duplicates, ${resent.size} re-sent by the test`);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.equal(stored.length, count + duplicates);
}

test('librdkafka enable.idempotence=true: connections cut mid-produce, every record stored exactly once and in order', async (t) => {
  const cleanup = cleanupStack(t);
  const { proxy, broker, topic } = await brokerBehindProxy(t, cleanup);
  const count = 100_000;
  const producer = LineProcess.python('idempotent_producer.py', [proxy.address, topic, String(PARTITIONS), String(count), '20000']);
  cleanup(() => producer.kill());
  let acked = 0;
  producer.onEvent((e) => {
    if (e.ev === 'progress') acked = e.acked;
  });
  const cutsAt: number[] = [];
  for (let cut = 1; cut <= CUTS; cut++) {
    const target = Math.floor((count * cut) / (CUTS + 1)) + randomBetween(-1000, 1000);
    await producer.waitFor((e) => e.ev === 'done' || acked >= target, 60_000, `${target} acknowledgements`);
    await delay(randomBetween(0, 20));
    if (acked < count) cutsAt.push(acked);
    proxy.cut(cut % 2 === 0);
  }
  const done = await producer.waitFor((e) => e.ev === 'done', 300_000, 'the end of the produce');
  assert.ok(cutsAt.length >= CUTS - 2, `at least ${CUTS - 2} cuts fell inside the produce (${cutsAt.length})`);
  assert.deepEqual(await producer.exited, { code: 0, signal: null }, producer.stderr());
  assert.equal(done.fatal, null, 'no fatal idempotent-producer error (the broker kept the sequence contract)');

  const failed = done.failed as [number, string][];
  const resent = new Set(failed.map(([n]) => n));
  if (resent.size > 0) await resend(broker.bootstrap, topic, [...resent]);
  t.diagnostic(
    `cuts after ${cutsAt.join(', ')} acknowledgements; ${proxy.cutConnections} connections cut, ${proxy.accepted} accepted; ` +
      `client gave up on ${failed.length} records (${failed.slice(0, 3).map(([, e]) => e).join('; ')}); ` +
      `broker answered ${await broker.metric('loglane_broker_duplicate_batches_total')} resent batches as duplicates`,
  );
  assert.equal(done.acked + failed.length, count);
  await assertExactlyOnceInOrder(t, broker.bootstrap, topic, count, resent);
});

test('KafkaJS idempotent: true: connections cut mid-produce, every record stored exactly once and in order', async (t) => {
  const cleanup = cleanupStack(t);
  const { proxy, broker, topic } = await brokerBehindProxy(t, cleanup);
  const count = 30_000;
  const batch = 100;
  const producer = kafkaJs(proxy.address, 'e2e-idempotent').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  cleanup(() => producer.disconnect());

  let sent = 0;
  const resent = new Set<number>();
  const sending = (async () => {
    for (let from = 0; from < count; from += batch) {
      const messages = [];
      for (let n = from; n < Math.min(count, from + batch); n++) messages.push({ partition: n % PARTITIONS, key: String(n), value: String(n) });
      try {
        await producer.send({ topic, acks: -1, messages });
      } catch {
        // KafkaJS retries an idempotent send forever, so this is not expected; if it does
        // give up, the batch is re-sent once below and only it may be duplicated.
        for (const m of messages) resent.add(Number(m.value));
        await producer.send({ topic, acks: -1, messages });
      }
      sent = from + messages.length;
    }
  })();
  const cutsAt: number[] = [];
  for (let cut = 1; cut <= CUTS; cut++) {
    const target = Math.floor((count * cut) / (CUTS + 1)) + randomBetween(-500, 500);
    while (sent < target) await Promise.race([sending, delay(5)]);
    await delay(randomBetween(0, 5));
    if (sent < count) cutsAt.push(sent);
    proxy.cut(cut % 2 === 0);
  }
  await sending;
  assert.ok(cutsAt.length >= CUTS - 2, `at least ${CUTS - 2} cuts fell inside the produce (${cutsAt.length})`);
  await producer.disconnect();
  t.diagnostic(
    `cuts after ${cutsAt.join(', ')} records; ${proxy.cutConnections} connections cut, ${proxy.accepted} accepted; ` +
      `broker answered ${await broker.metric('loglane_broker_duplicate_batches_total')} resent batches as duplicates`,
  );
  await assertExactlyOnceInOrder(t, broker.bootstrap, topic, count, resent);
});

/** Sends records again with a plain producer, straight to the broker. */
async function resend(bootstrap: string, topic: string, numbers: number[]): Promise<void> {
  const producer = kafkaJs(bootstrap, 'e2e-resend').producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: numbers.map((n) => ({ partition: n % PARTITIONS, key: String(n), value: String(n) })) });
  } finally {
    await producer.disconnect();
  }
}
