import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, startCli, tempDir } from '../helpers/cli.ts';

const QUIET = ['--log-level', 'warn'];

async function upConfig(dir: string): Promise<string> {
  const file = path.join(dir, 'loglane.yml');
  // Every listener on a free port: tests never take the default ports.
  await writeFile(file, `data_dir: ${path.join(dir, 'data')}\nadmin:\n  port: 0\nbroker:\n  port: 0\nstore:\n  port: 0\nshutdown_timeout_ms: 5000\n`);
  return file;
}

test('loglane --help and --version', async (t) => {
  const dir = await tempDir(t);
  const help = await runCli(['--help'], { cwd: dir });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: loglane/);
  assert.match(help.stdout, /\bup\b/);
  const version = await runCli(['--version'], { cwd: dir });
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const unknown = await runCli(['frobnicate'], { cwd: dir });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test('loglane up prints endpoints, serves /health and /metrics, and exits 0 on SIGINT', async (t) => {
  const dir = await tempDir(t);
  await upConfig(dir);
  const up = startCli(['up', ...QUIET], { cwd: dir });
  t.after(() => up.child.kill('SIGKILL'));
  const [, port] = await up.waitForLine(/^admin\s+127\.0\.0\.1:(\d+)$/m);
  assert.match(up.stdout(), /^kafka\s+127\.0\.0\.1:\d+$/m);
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^# TYPE loglane_process_cpu_user_seconds_total counter$/m);
  up.child.kill('SIGINT');
  assert.deepEqual(await up.exited, { code: 0, signal: null });
});

test('a second loglane up on the same data directory exits with an error naming the lock', async (t) => {
  const dir = await tempDir(t);
  await upConfig(dir);
  const first = startCli(['up', ...QUIET], { cwd: dir });
  t.after(() => first.child.kill('SIGKILL'));
  await first.waitForLine(/^admin\s+/m);
  const second = await runCli(['up', ...QUIET], { cwd: dir });
  assert.equal(second.code, 1);
  assert.match(second.stderr, /LOGLANE_ERR_DATADIR_LOCKED/);
  assert.ok(second.stderr.includes(path.join(dir, 'data', 'loglane.lock')), second.stderr);
  first.child.kill('SIGTERM');
  assert.equal((await first.exited).code, 0);
});

test('a bad config stops everything before start with three precise messages', async (t) => {
  const dir = await tempDir(t);
  await writeFile(
    path.join(dir, 'bad.yml'),
    ['data_dir: ${LOGLANE_TEST_MISSING:?set it to the data folder}', 'admin:', '  prot: 9601', '  port: "ninety"', ''].join('\n'),
  );
  for (const args of [['--config', 'bad.yml', 'up'], ['config', 'check', 'bad.yml']]) {
    const result = await runCli(args, { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('  '));
    assert.deepEqual(
      lines.map((l) => l.trim().split(': ').slice(0, 2).join(': ')),
      ['bad.yml:1:11: data_dir', 'bad.yml:3:3: admin.prot', 'bad.yml:4:9: admin.port'],
    );
    assert.match(result.stderr, /LOGLANE_TEST_MISSING is required: set it to the data folder/);
    assert.match(result.stderr, /unknown key "prot"; did you mean "port"/);
    assert.match(result.stderr, /expected a number, found string "ninety"/);
    assert.equal(result.stdout, '');
  }
});

test('loglane config check accepts a valid file and config show prints defaults', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'ok.yml'), 'admin:\n  port: ${ADMIN_PORT:-9700}\n');
  const check = await runCli(['config', 'check', 'ok.yml'], { cwd: dir });
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /^ok: .*ok\.yml$/m);
  const show = await runCli(['--config', 'ok.yml', 'config', 'show'], { cwd: dir, env: { ADMIN_PORT: '9800' } });
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /port: 9800/);
  assert.match(show.stdout, /data_dir: \.\/data/);
});
