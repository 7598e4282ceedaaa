/**
 * Zero configuration: with no `shipper:` section, `loglane up` tails ./logs/**\/*.log
 * (relative to where it runs) into the topic `logs`, and the default indexer pipeline
 * makes the lines searchable in the store's `logs` index. (The config file here only
 * moves the listeners to free ports; a test never takes the default ports.)
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir } from '../helpers/cli.ts';
import { eventually } from '../shipper/helpers.ts';

test('a file dropped into ./logs ends up in the logs index with loglane up and no shipper configuration', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'loglane.yml'), `data_dir: ${path.join(dir, 'data')}\nadmin:\n  port: 0\nbroker:\n  port: 0\nstore:\n  port: 0\nshutdown_timeout_ms: 5000\n`);
  const up = startCli(['up', '--log-level', 'warn'], { cwd: dir });
  t.after(() => up.child.kill('SIGKILL'));
  const [, es] = await up.waitForLine(/^elasticsearch\s+(\S+)$/m, 60_000);
  await mkdir(path.join(dir, 'logs', 'nginx'), { recursive: true });
  const file = path.join(dir, 'logs', 'nginx', 'access.log');
  await writeFile(file, 'GET /zero-config-one 200\n');
  await appendFile(file, 'GET /zero-config-two 404\n');
  await writeFile(path.join(dir, 'logs', 'ignored.txt'), 'not a .log file\n');
  const hits = await eventually(
    async () => {
      const res = await fetch(`http://${es}/logs/_search?size=10&sort=log.offset:asc`);
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { hits: { hits: { _source: { message: string; log: { file: { path: string } } } }[] } };
      return body.hits.hits.length >= 2 ? body.hits.hits : undefined;
    },
    90_000,
    'two documents in the logs index',
  );
  assert.deepEqual(
    hits.map((h) => h._source.message).sort(),
    ['GET /zero-config-one 200', 'GET /zero-config-two 404'],
  );
  assert.equal(hits[0]!._source.log.file.path, file);
  up.child.kill('SIGTERM');
  assert.equal((await up.exited).code, 0);
});
