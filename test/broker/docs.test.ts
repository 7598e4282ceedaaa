/** The shell examples of docs/broker.md work as printed (against a broker on a free port). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startTestBroker } from '../helpers/broker.ts';
import { CLI_ENTRY, REPO_ROOT, tempDir } from '../helpers/cli.ts';

const run = promisify(execFile);

test('docs/broker.md "Try it" commands run as printed', async (t) => {
  const doc = await readFile(path.join(REPO_ROOT, 'docs', 'broker.md'), 'utf8');
  const block = /## Try it\s+```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/broker.md has a "Try it" sh block');
  const { broker } = await startTestBroker(t);
  const cwd = await tempDir(t);
  // The block starts the broker with `npx loglane up`; here the test's broker plays that part.
  const script = block
    .split('\n')
    .filter((line) => !line.startsWith('npx loglane up'))
    .join('\n')
    .replaceAll('127.0.0.1:9092', `127.0.0.1:${broker.port}`)
    .replaceAll('npx loglane', `"${process.execPath}" "${CLI_ENTRY}" --log-level warn`);
  // loglane's commands find the broker through the configuration, as after `loglane up`.
  await writeFile(path.join(cwd, 'loglane.yml'), `broker:\n  port: ${broker.port}\n`);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd, timeout: 120_000 });
  assert.match(stdout, /k1 hello \(offset 0\)/);
  assert.match(stdout, /created topic app-logs \(6 partitions/);
  assert.match(stdout, /my-group\s+Empty\s+consumer/);
  assert.match(stdout, /deleted app-logs/);
});
