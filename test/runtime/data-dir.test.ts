import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isLoglaneError } from '../../src/errors/loglane-error.ts';
import { DataDir, LOCK_FILE } from '../../src/runtime/data-dir.ts';
import { tempDir } from '../helpers/cli.ts';

test('a second open of a locked data directory fails and names the lock file', async (t) => {
  const dir = await tempDir(t);
  const first = await DataDir.open(dir, 'first');
  t.after(() => first.release());
  await assert.rejects(DataDir.open(dir, 'second'), (error: unknown) => {
    assert.ok(isLoglaneError(error, 'LOGLANE_ERR_DATADIR_LOCKED'));
    assert.ok(error.message.includes(path.join(dir, LOCK_FILE)));
    assert.match(error.message, new RegExp(`pid ${process.pid}`));
    return true;
  });
  first.release();
  const again = await DataDir.open(dir, 'third');
  again.release();
});

test('a stale lock left by a dead process is taken over', async (t) => {
  const dir = await tempDir(t);
  const child = spawn(process.execPath, ['-e', '0']);
  const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
  const { hostname } = await import('node:os');
  await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), command: 'old', started_at: 'then' }));
  const dataDir = await DataDir.open(dir, 'new');
  t.after(() => dataDir.release());
  const owner = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'));
  assert.equal(owner.pid, process.pid);
});

test('a garbled lock file (crash mid-write) is taken over', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, LOCK_FILE), '{"pi');
  const dataDir = await DataDir.open(dir);
  dataDir.release();
});

test('component folders are created inside the data directory', async (t) => {
  const dir = await tempDir(t);
  const dataDir = await DataDir.open(path.join(dir, 'nested', 'data'));
  t.after(() => dataDir.release());
  assert.equal(dataDir.componentDir('broker'), path.join(dir, 'nested', 'data', 'broker'));
});

test('a data directory path that is a file gives a clear error', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'not-a-dir');
  await writeFile(file, 'x');
  await assert.rejects(DataDir.open(file), (error: unknown) => {
    assert.ok(isLoglaneError(error, 'LOGLANE_ERR_DATADIR_UNWRITABLE'));
    assert.match(error.message, /not writable/);
    return true;
  });
});
