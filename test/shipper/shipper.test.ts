import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { tempDir } from '../helpers/cli.ts';
import { eventually, readTopic, runShipper } from './helpers.ts';

test('file lines arrive in Kafka as JSON events with path, offset, host, fields and tags; the registry advances after the ack', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const dir = await tempDir(t);
  const topic = uniqueTopic('ship');
  await mkdir(path.join(dir, 'logs', 'app'), { recursive: true });
  const file = path.join(dir, 'logs', 'app', 'a.log');
  await writeFile(file, 'first line\nsecond line\r\n');
  const shipper = await runShipper(t, {
    bootstrap,
    dir: path.join(dir, 'data'),
    cwd: dir,
    raw: {
      host_name: 'web-1',
      inputs: [{ type: 'file', paths: ['logs/**/*.log'], scan_interval_ms: 50, poll_interval_ms: 20, fields: { env: 'test' }, tags: ['app'] }],
      kafka: { topic, linger_ms: 1 },
    },
  });
  await appendFile(file, 'third line\n');
  const messages = await readTopic(bootstrap, topic, (m) => m.length >= 3);
  assert.deepEqual(
    messages.map((m) => m.value.message),
    ['first line', 'second line', 'third line'],
  );
  const first = messages[0]!.value;
  assert.deepEqual(first.host, { name: 'web-1' });
  assert.deepEqual(first.log, { file: { path: file }, offset: 0 });
  assert.deepEqual(first.fields, { env: 'test' });
  assert.deepEqual(first.tags, ['app']);
  assert.equal((messages[1]!.value.log as { offset: number }).offset, 11);
  assert.match(String(first['@timestamp']), /^\d{4}-\d\d-\d\dT/);
  await eventually(async () => {
    await shipper.flushRegistry();
    const saved = JSON.parse(await readFile(path.join(dir, 'data', 'registry.json'), 'utf8')) as { files: { path: string; offset: number }[] };
    return saved.files.find((f) => f.path === file && f.offset === 35) ? true : undefined;
  }, 10_000, 'registry offset 35');
});
