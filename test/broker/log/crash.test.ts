/**
 * A real crash: a child process appends and flushes in a loop, reporting every flushed
 * offset; the test SIGKILLs it at random moments, reopens the log, and checks that every
 * reported offset is present and readable with the right content. SIGKILL leaves the
 * page cache intact, so this covers process crashes (torn tails from power loss are
 * covered by recovery.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { decodeBatches } from './helpers/record-batch-builder.ts';
import { tempDir } from './helpers/temp-dir.ts';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.ts');

/** Runs the writer until it has reported `flushes` flushes plus a random delay, then SIGKILLs it. */
function runAndKill(dir: string, flushes: number, extraDelayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const flushed: number[] = [];
    let buffered = '';
    let stderr = '';
    let killing = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /^flushed (\d+)$/.exec(line);
        if (match) flushed.push(Number(match[1]));
      }
      if (!killing && flushed.length >= flushes) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(flushed);
      else reject(new Error(`writer exited with ${code}/${signal}: ${stderr}`));
    });
  });
}

/** Reopens (recovering), checks every reported offset, closes; returns the segment count. */
async function verify(dir: string, reported: number[]): Promise<number> {
  const log = await PartitionLog.open(dir);
  try {
    assert.equal(log.recovery.cleanShutdown, false);
    const maxReported = Math.max(-1, ...reported);
    assert.ok(log.logEndOffset > maxReported, `log end ${log.logEndOffset} lost flushed offset ${maxReported}`);
    let offset = 0;
    const seen = new Set<number>();
    while (offset < log.logEndOffset) {
      const batches = decodeBatches(await log.read(offset, 256 * 1024));
      assert.ok(batches.length > 0);
      for (const batch of batches) {
        for (const r of batch.records) {
          assert.equal(r.offset, offset, 'records are contiguous');
          assert.equal(r.value!.toString().replace(/#+$/, ''), String(r.offset));
          seen.add(r.offset);
          offset++;
        }
      }
    }
    for (const o of reported) assert.ok(seen.has(o), `flushed offset ${o} readable`);
    return log.segments().length;
  } finally {
    await log.close();
  }
}

test('every flushed offset survives SIGKILL of the writer, several times', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t, 'loglane-crash-');
  const reported: number[] = [];
  for (let round = 0; round < 6; round++) {
    const flushed = await runAndKill(dir, 20 + Math.floor(Math.random() * 150), Math.floor(Math.random() * 25));
    assert.ok(flushed.length > 0);
    reported.push(...flushed);
    // Verify (and so recover) after some crashes only, so the writer also recovers by itself;
    // the final verify below follows the last crash.
    if (round === 1 || round === 3) await verify(dir, reported);
  }
  assert.ok((await verify(dir, reported)) > 1, 'the writer rolled segments');
});
