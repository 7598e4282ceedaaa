import assert from 'node:assert/strict';
import { appendFile, chmod, copyFile, mkdir, readFile, rename, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { shipperMetrics } from '../../../../src/shipper/metrics.ts';
import { tempDir } from '../../../helpers/cli.ts';
import { FakeProducer } from '../../fake-producer.ts';
import { capturingLogger, eventually, runShipper } from '../../helpers.ts';

type Ctx = Parameters<typeof tempDir>[0];

async function ship(t: Ctx, dir: string, input: Record<string, unknown>, producer = new FakeProducer(), logger = capturingLogger()) {
  const shipper = await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: logger.logger,
    raw: { registry_flush_ms: 20, inputs: [{ type: 'file', paths: ['logs/**/*.log'], scan_interval_ms: 20, poll_interval_ms: 10, ...input }], kafka: { linger_ms: 1 } },
  });
  return { shipper, producer, lines: logger.lines };
}

const messages = (p: FakeProducer) => p.sent.map((m) => m.value.message as string);
const until = (p: FakeProducer, n: number) => eventually(async () => (p.sent.length >= n ? true : undefined), 15_000, `${n} messages (have ${p.sent.length})`);

async function registryOf(dir: string) {
  return JSON.parse(await readFile(path.join(dir, 'data', 'registry.json'), 'utf8')) as { files: { key: string; path: string; offset: number }[] };
}

const lines = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix} ${String(from + i).padStart(6, '0')} ${'x'.repeat(40)}\n`).join('');

test('rename rotation and copytruncate: every line exactly once; short files re-keyed to a fingerprint as they grow', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'app.log');
  const { producer, shipper } = await ship(t, dir, { paths: ['logs/app.log*'] });
  let n = 0;
  const write = async (count: number) => {
    await appendFile(file, lines('line', n, n + count));
    n += count;
  };
  await write(5); // shorter than 1024 bytes at first: device+inode identity
  await until(producer, 5);
  await write(200);
  await until(producer, 205);
  await rename(file, `${file}.1`);
  await write(300);
  await write(0);
  await appendFile(`${file}.1`, ''); // nothing: the old file keeps its state
  await until(producer, 505);
  // copytruncate: copy, truncate, keep writing
  await copyFile(file, `${file}.2`);
  await truncate(file, 0);
  await write(100);
  await until(producer, 605);
  await shipper.flushRegistry();
  const got = messages(producer);
  const seenOnce = new Set<string>();
  const dups = got.filter((m) => {
    if (seenOnce.has(m)) return true;
    seenOnce.add(m);
    return false;
  });
  assert.equal(got.length, 605, `duplicates: ${dups.slice(0, 3).join(' | ')} … ${dups.at(-1)}`);
  assert.deepEqual(new Set(got).size, 605);
  const registry = await registryOf(dir);
  assert.ok(registry.files.every((f) => f.key.startsWith('file-0/fp:')), JSON.stringify(registry.files.map((f) => f.key)));
});

test('after a restart, reading resumes at the acknowledged offset (nothing lost, nothing repeated)', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'a.log');
  await writeFile(file, lines('a', 0, 50));
  const first = await ship(t, dir, {});
  await until(first.producer, 50);
  await first.shipper.stop();
  await appendFile(file, lines('a', 50, 80));
  const second = await ship(t, dir, {});
  await until(second.producer, 30);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(second.producer.sent.length, 30);
  assert.match(messages(second.producer)[0]!, /^a 000050/);
});

test('the registry does not advance while Kafka does not acknowledge; reading pauses at queue_max_events', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'logs', 'a.log'), lines('a', 0, 2000));
  const producer = new FakeProducer();
  producer.down = true;
  const shipper = await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: capturingLogger().logger,
    raw: { registry_flush_ms: 20, inputs: [{ type: 'file', paths: ['logs/*.log'], scan_interval_ms: 20, poll_interval_ms: 10, read_buffer_bytes: 4096 }], kafka: { linger_ms: 1, queue_max_events: 100, batch_max_events: 50, backoff_initial_ms: 5, backoff_max_ms: 20 } },
  });
  await eventually(async () => (producer.failures >= 3 ? true : undefined), 10_000, 'failed sends');
  await shipper.flushRegistry();
  assert.ok((await registryOf(dir)).files.every((f) => f.offset === 0));
  assert.ok(shipper.output.queued <= 200, `queued ${shipper.output.queued}`);
  producer.down = false;
  await until(producer, 2000);
  await eventually(async () => {
    await shipper.flushRegistry();
    return (await registryOf(dir)).files[0]?.offset === Buffer.byteLength(lines('a', 0, 2000)) ? true : undefined;
  }, 10_000, 'registry at the end of the file');
});

test('start_at end, exclude, ignore_older', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs', 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'logs', 'old.log'), 'old\n');
  await writeFile(path.join(dir, 'logs', 'sub', 'skip.log'), 'skip\n');
  await writeFile(path.join(dir, 'logs', 'sub', 'tail.log'), 'before start\n');
  const past = new Date(Date.now() - 3_600_000);
  await utimes(path.join(dir, 'logs', 'old.log'), past, past);
  const { producer } = await ship(t, dir, { exclude: ['skip.log'], ignore_older_ms: 60_000, start_at: 'end' });
  await new Promise((r) => setTimeout(r, 150));
  await appendFile(path.join(dir, 'logs', 'sub', 'tail.log'), 'after start\n');
  await appendFile(path.join(dir, 'logs', 'sub', 'skip.log'), 'skip more\n');
  await until(producer, 1);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(messages(producer), ['after start']);
});

test('bad input: unreadable file, binary garbage, over-long lines are logged with the path and counted; no crash', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  const locked = path.join(dir, 'logs', 'locked.log');
  await writeFile(locked, 'secret\n');
  await chmod(locked, 0o000);
  const root = process.getuid?.() === 0;
  await writeFile(path.join(dir, 'logs', 'bin.log'), Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x0a]), Buffer.from('text after\n')]));
  await writeFile(path.join(dir, 'logs', 'long.log'), `${'y'.repeat(5000)}\nshort\n`);
  const before = await shipperMetrics.invalidInput.get();
  const count = (values: typeof before, reason: string) => values.values.filter((v) => v.labels.reason === reason && v.labels.input === 'bad').reduce((s, v) => s + v.value, 0);
  const { producer, lines: logs } = await ship(t, dir, { id: 'bad', max_line_bytes: 1000 });
  await until(producer, root ? 5 : 4);
  const byMessage = new Map(producer.sent.map((m) => [m.value.message as string, m.value]));
  assert.deepEqual((byMessage.get('y'.repeat(1000))!.log as { flags: string[] }).flags, ['truncated']);
  assert.ok(byMessage.has('short'));
  assert.ok(byMessage.has('text after'));
  const garbage = producer.sent.find((m) => ((m.value.log as { flags?: string[] }).flags ?? []).includes('invalid_utf8'));
  assert.ok(garbage, 'binary line flagged');
  const after = await shipperMetrics.invalidInput.get();
  assert.equal(count(after, 'invalid_utf8') - count(before, 'invalid_utf8'), 1);
  assert.ok(logs.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_INPUT' && String(l.path).endsWith('long.log')));
  if (!root) {
    assert.ok(count(after, 'open_error') - count(before, 'open_error') >= 1);
    assert.ok(logs.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_INPUT' && l.path === locked));
    // Readable later: picked up at a later scan.
    await chmod(locked, 0o644);
    await until(producer, 5);
    assert.ok(messages(producer).includes('secret'));
  }
});

test('removed files are forgotten by the registry (clean_removed)', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'logs', 'gone.log'), 'one\n');
  const { producer, shipper } = await ship(t, dir, { close_inactive_ms: 50 });
  await until(producer, 1);
  await shipper.flushRegistry();
  assert.equal((await registryOf(dir)).files.length, 1);
  await rm(path.join(dir, 'logs', 'gone.log'));
  await eventually(async () => {
    await shipper.flushRegistry();
    return (await registryOf(dir)).files.length === 0 ? true : undefined;
  }, 10_000, 'state forgotten');
});

test('multiline and ndjson in a file: a Java stack trace is one event, NDJSON lines are structured', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'logs'));
  await writeFile(
    path.join(dir, 'logs', 'java.log'),
    ['2024-05-01 12:00:00 ERROR failed', 'java.lang.RuntimeException: x', '\tat a.B.c(B.java:1)', '\tat a.B.d(B.java:2)', '2024-05-01 12:00:01 INFO ok', ''].join('\n'),
  );
  await writeFile(path.join(dir, 'logs', 'app.json.log'), '{"level":"warn","msg":"disk","user":{"id":3}}\nnot json\n');
  const producer = new FakeProducer();
  await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: capturingLogger().logger,
    raw: {
      inputs: [
        { type: 'file', id: 'java', paths: ['logs/java.log'], scan_interval_ms: 20, poll_interval_ms: 10, multiline: { pattern: '^\\d{4}-\\d\\d-\\d\\d ', negate: true, match: 'after', timeout_ms: 50 } },
        { type: 'file', id: 'json', paths: ['logs/*.json.log'], scan_interval_ms: 20, poll_interval_ms: 10, ndjson: {} },
      ],
      kafka: { linger_ms: 1 },
    },
  });
  await until(producer, 4);
  const java = producer.sent.filter((m) => String(m.value.message ?? '').startsWith('2024'));
  assert.equal(java.length, 2);
  assert.equal(java[0]!.value.message, '2024-05-01 12:00:00 ERROR failed\njava.lang.RuntimeException: x\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)');
  assert.deepEqual((java[0]!.value.log as { flags: string[] }).flags, ['multiline']);
  const json = producer.sent.find((m) => m.value.level === 'warn');
  assert.deepEqual(json?.value.user, { id: 3 });
  assert.equal(json?.value.msg, 'disk');
  const bad = producer.sent.find((m) => m.value.message === 'not json');
  assert.deepEqual(bad?.value.tags, ['_ndjsonparsefailure']);
});
