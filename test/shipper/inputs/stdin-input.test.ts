import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { tempDir } from '../../helpers/cli.ts';
import { FakeProducer } from '../fake-producer.ts';
import { capturingLogger, eventually, runShipper } from '../helpers.ts';

test('stdin lines (and a last line without newline) become events; ndjson applies', async (t) => {
  const dir = await tempDir(t);
  const producer = new FakeProducer();
  const stdin = new PassThrough();
  await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: capturingLogger().logger,
    stdin,
    raw: { inputs: [{ type: 'stdin', ndjson: { target: 'json' }, fields: { source: 'pipe' }, fields_under_root: true }], kafka: { linger_ms: 1 } },
  });
  stdin.write('{"a":1}\n{"a"');
  stdin.end(':2}');
  await eventually(async () => (producer.sent.length >= 2 ? true : undefined), 5000);
  assert.deepEqual(
    producer.sent.map((m) => [m.value.json, m.value.source, m.value.message]),
    [
      [{ a: 1 }, 'pipe', '{"a":1}'],
      [{ a: 2 }, 'pipe', '{"a":2}'],
    ],
  );
});
