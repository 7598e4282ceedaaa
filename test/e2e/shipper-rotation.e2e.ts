/**
 * Rotation under load, with the shipper as its own process (`loglane ship`) and the
 * embedded broker in the test process: a writer appends 1M lines to app.log, renaming it
 * away every 100k lines (app.log.1, .2, ...) and once doing copytruncate. Every line must
 * arrive exactly once; then the same with the shipper SIGKILLed and restarted mid-way:
 * every line at least once (duplicates counted and reported).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdir, rename, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { type CliProcess, startCli, tempDir } from '../helpers/cli.ts';

const TOTAL = Number(process.env.LOGLANE_E2E_LINES ?? 1_000_000);
const ROTATE_EVERY = TOTAL / 10;
const CHUNK = 2000;

function lineText(n: number): string {
  return `L${String(n).padStart(7, '0')} user=u${n % 97} GET /api/items/${n % 1000} 200\n`;
}

async function writeAll(file: string, options: { onProgress?: (written: number) => Promise<void> | void; linesPerSecond: number }): Promise<void> {
  let rotations = 0;
  const started = Date.now();
  for (let n = 0; n < TOTAL; n += CHUNK) {
    let text = '';
    for (let i = n; i < n + CHUNK; i++) text += lineText(i);
    await appendFile(file, text);
    const written = n + CHUNK;
    if (written % ROTATE_EVERY === 0 && written < TOTAL) {
      rotations++;
      if (rotations === 5) {
        // copytruncate: copy, then truncate in place (nothing written in between).
        await copyFile(file, `${file}.${rotations}`);
        await truncate(file, 0);
      } else {
        await rename(file, `${file}.${rotations}`);
        await writeFile(file, '');
      }
    }
    await options.onProgress?.(written);
    // Paced like a busy application, not a bulk copy.
    const ahead = (written / options.linesPerSecond) * 1000 - (Date.now() - started);
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
  }
}

function shipperConfig(dir: string, bootstrap: string, topic: string): string {
  return [
    `data_dir: ${path.join(dir, 'data')}`,
    'admin:',
    '  port: 0',
    'shutdown_timeout_ms: 10000',
    'shipper:',
    '  registry_flush_ms: 200',
    '  inputs:',
    '    - type: file',
    `      paths: ["${path.join(dir, 'logs')}/app.log*"]`,
    '      scan_interval_ms: 100',
    '      poll_interval_ms: 20',
    '  kafka:',
    `    bootstrap_servers: ["${bootstrap}"]`,
    `    topic: ${topic}`,
    '',
  ].join('\n');
}

/**
 * Reads the whole topic with kcat (librdkafka; fast enough for 1M messages), counting
 * each line number; repeated until every line is there and `until()` holds, or the time is up.
 */
async function collect(bootstrap: string, topic: string, until: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = new Uint16Array(TOTAL);
    let missing = TOTAL;
    let duplicates = 0;
    const text = await new Promise<string>((resolve) => {
      execFile('kcat', ['-b', bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { maxBuffer: 1024 * 1024 * 1024 }, (_error, stdout) => resolve(stdout));
    });
    for (let at = text.indexOf('"message":"L'); at !== -1; at = text.indexOf('"message":"L', at + 20)) {
      const n = Number(text.slice(at + 12, at + 19));
      if (counts[n] === 0) missing--;
      else duplicates++;
      counts[n]!++;
    }
    if ((missing === 0 && until()) || Date.now() > deadline) {
      const absent: number[] = [];
      for (let i = 0; i < TOTAL && absent.length < 10; i++) if (counts[i] === 0) absent.push(i);
      return { missing, duplicates, absent };
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function ship(dir: string): Promise<CliProcess> {
  const proc = startCli(['ship', '--log-level', 'warn'], { cwd: dir });
  await proc.waitForLine(/^admin\s+/m, 60_000);
  return proc;
}

test(`rotation: ${TOTAL} lines, rename every ${ROTATE_EVERY} and one copytruncate: every line exactly once`, { timeout: 600_000 }, async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const dir = await tempDir(t);
  const topic = uniqueTopic('rotation');
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'loglane.yml'), shipperConfig(dir, bootstrap, topic));
  const file = path.join(dir, 'logs', 'app.log');
  await writeFile(file, '');
  const shipper = await ship(dir);
  t.after(() => shipper.child.kill('SIGKILL'));
  const started = Date.now();
  let writerDone = false;
  const writing = writeAll(file, { linesPerSecond: 25_000 }).then(() => {
    writerDone = true;
  });
  await writing;
  const result = await collect(bootstrap, topic, () => writerDone, 400_000);
  t.diagnostic(`${TOTAL} lines in ${((Date.now() - started) / 1000).toFixed(1)} s; missing ${result.missing}, duplicates ${result.duplicates}`);
  assert.equal(result.missing, 0, `absent lines: ${result.absent.join(', ')}; stderr: ${shipper.stderr().slice(-2000)}`);
  assert.equal(result.duplicates, 0);
  shipper.child.kill('SIGTERM');
  assert.equal((await shipper.exited).code, 0, shipper.stderr().slice(-2000));
});

test(`rotation with the shipper SIGKILLed and restarted mid-way: every line at least once`, { timeout: 600_000 }, async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const dir = await tempDir(t);
  const topic = uniqueTopic('rotation-kill');
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'loglane.yml'), shipperConfig(dir, bootstrap, topic));
  const file = path.join(dir, 'logs', 'app.log');
  await writeFile(file, '');
  let shipper = await ship(dir);
  t.after(() => shipper.child.kill('SIGKILL'));
  let writerDone = false;
  let killed = false;
  const writing = writeAll(file, {
    linesPerSecond: 25_000,
    onProgress: async (written) => {
      if (!killed && written >= TOTAL * 0.43) {
        killed = true;
        shipper.child.kill('SIGKILL');
        await shipper.exited;
        shipper = await ship(dir);
      }
    },
  }).then(() => {
    writerDone = true;
  });
  await writing;
  const result = await collect(bootstrap, topic, () => writerDone, 400_000);
  t.diagnostic(`after kill -9 and restart: missing ${result.missing}, duplicates ${result.duplicates} (${((result.duplicates / TOTAL) * 100).toFixed(3)}%)`);
  assert.equal(killed, true);
  assert.equal(result.missing, 0, `absent lines: ${result.absent.join(', ')}; stderr: ${shipper.stderr().slice(-2000)}`);
  shipper.child.kill('SIGTERM');
  await shipper.exited;
});
