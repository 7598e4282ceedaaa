/**
 * Kafka unavailable: the embedded broker runs as its own process (`loglane broker`), is
 * stopped for 30 s (LOGLANE_E2E_OUTAGE_MS) while the application keeps writing, and is
 * started again on the same port and data directory. The shipper (in this process, so
 * the test can look at its registry and queue) backs off, its registry does not advance
 * during the outage, and after the broker returns every line arrives.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { shipperMetrics } from '../../src/shipper/metrics.ts';
import { uniqueTopic } from '../helpers/broker.ts';
import { type CliProcess, startCli, tempDir } from '../helpers/cli.ts';
import { capturingLogger, eventually, readTopic, runShipper } from '../shipper/helpers.ts';

const OUTAGE_MS = Number(process.env.LOGLANE_E2E_OUTAGE_MS ?? 30_000);

async function startBroker(dir: string, port: number): Promise<{ proc: CliProcess; port: number }> {
  await writeFile(path.join(dir, 'broker.yml'), `data_dir: ${path.join(dir, 'broker-data')}\nadmin:\n  port: 0\nbroker:\n  port: ${port}\n  group_initial_rebalance_delay_ms: 0\n`);
  const proc = startCli(['--config', 'broker.yml', 'broker', '--log-level', 'warn'], { cwd: dir });
  const [, got] = await proc.waitForLine(/^kafka\s+127\.0\.0\.1:(\d+)$/m, 60_000);
  return { proc, port: Number(got) };
}

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `outage line ${String(from + i).padStart(6, '0')}\n`).join('');

test(`broker stopped for ${OUTAGE_MS / 1000} s: the shipper backs off, holds its registry, and ships every line after`, { timeout: 300_000 }, async (t) => {
  const dir = await tempDir(t);
  let broker = await startBroker(dir, 0);
  t.after(() => broker.proc.child.kill('SIGKILL'));
  const bootstrap = `127.0.0.1:${broker.port}`;
  const topic = uniqueTopic('outage');
  await mkdir(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'app.log');
  await writeFile(file, lines(0, 10_000));
  const log = capturingLogger();
  const shipper = await runShipper(t, {
    bootstrap,
    dir: path.join(dir, 'shipper'),
    cwd: dir,
    logger: log.logger,
    raw: {
      registry_flush_ms: 50,
      inputs: [{ type: 'file', paths: ['logs/*.log'], scan_interval_ms: 100, poll_interval_ms: 20 }],
      kafka: { topic, acks: process.env.LOGLANE_E2E_ACKS ?? 'all', backoff_initial_ms: 100, backoff_max_ms: 2_000, request_timeout_ms: 2_000, queue_max_events: 5_000 },
    },
  });
  const registryOffset = async () => {
    await shipper.flushRegistry();
    const saved = JSON.parse(await readFile(path.join(dir, 'shipper', 'registry.json'), 'utf8')) as { files: { offset: number }[] };
    return saved.files[0]?.offset ?? 0;
  };
  const firstSize = Buffer.byteLength(lines(0, 10_000));
  await eventually(async () => ((await registryOffset()) === firstSize ? true : undefined), 60_000, 'first lines acknowledged');

  // The broker process stops; the application keeps writing.
  broker.proc.child.kill('SIGTERM');
  assert.equal((await broker.proc.exited).code, 0);
  const retriesBefore = (await shipperMetrics.retries.get()).values[0]?.value ?? 0;
  await appendFile(file, lines(10_000, 30_000));
  const outageStart = Date.now();
  const offsets: number[] = [];
  while (Date.now() - outageStart < OUTAGE_MS) {
    await new Promise((r) => setTimeout(r, 1_000));
    offsets.push(await registryOffset());
  }
  assert.ok(
    offsets.every((o) => o === firstSize),
    `registry held at ${firstSize} during the outage: ${offsets.join(',')}`,
  );
  assert.equal(shipper.output.state(), 'unavailable');
  assert.ok(shipper.output.queued <= 5_000, `reading paused at the queue bound (queued ${shipper.output.queued})`);
  const retries = ((await shipperMetrics.retries.get()).values[0]?.value ?? 0) - retriesBefore;
  // Capped exponential backoff (2 batches in flight, ≤ 2 s apart once capped) — not a hot loop.
  assert.ok(retries > 0 && retries < (OUTAGE_MS / 1000) * 4 + 20, `${retries} retries in ${OUTAGE_MS} ms`);
  assert.ok(log.lines.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_KAFKA_UNAVAILABLE'));

  broker = await startBroker(dir, broker.port);
  const probe = process.env.LOGLANE_E2E_DEBUG ? setInterval(async () => console.error(new Date().toISOString(), shipper.output.state(), shipper.output.queued, (await shipperMetrics.retries.get()).values[0]?.value, JSON.stringify((await shipperMetrics.eventsSent.get()).values.map((v) => v.value))), 2000) : undefined;
  t.after(() => clearInterval(probe));
  const finalSize = Buffer.byteLength(lines(0, 30_000));
  // The registry reaches the end of the file only when Kafka acknowledged every line.
  await eventually(async () => ((await registryOffset()) === finalSize ? true : undefined), 120_000, 'registry at the end of the file');
  const messages = await readTopic(bootstrap, topic, (m) => new Set(m.map((x) => x.value.message)).size >= 30_000, 60_000);
  const unique = new Set(messages.map((m) => m.value.message));
  t.diagnostic(`after the outage: ${messages.length} messages, ${unique.size} unique lines, ${retries} produce retries during ${OUTAGE_MS} ms; output ${shipper.output.state()}, queued ${shipper.output.queued}`);
  if (unique.size < 30_000) t.diagnostic(JSON.stringify(log.lines.slice(-6).map((l) => [l.time, l.msg, (l.err as { message?: string; aggregateErrors?: { message: string }[] } | undefined)?.aggregateErrors?.map((e) => e.message) ?? (l.err as { message?: string } | undefined)?.message])));
  assert.equal(unique.size, 30_000);
  assert.ok(log.lines.some((l) => /acknowledges again/.test(String(l.msg))));
  await shipper.stop();
  broker.proc.child.kill('SIGTERM');
  await broker.proc.exited;
});
