/** An engine in a temporary directory with one index `logs` of 400 generated log documents (for search plan tests). */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { write } from '../../../src/store/engine/documents.ts';
import { Engine } from '../../../src/store/engine/engine.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';

export async function engineWithLogs(t: { after: (fn: () => unknown) => void }): Promise<Engine> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-compile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const engine = new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
  t.after(() => engine.close());
  await engine.createIndex('logs', {
    mappings: { properties: { '@timestamp': { type: 'date' }, level: { type: 'keyword' }, service: { type: 'keyword' }, status: { type: 'integer' }, message: { type: 'text' } } },
  });
  const words = ['payment', 'failed', 'card', 'declined', 'retry', 'order', 'timeout'];
  const docs = Array.from({ length: 400 }, (_, i) => {
    const text = Array.from({ length: 2 + (i % 9) }, (_, j) => words[(i * 5 + j * j * 3 + (i >> 2) * j) % words.length]).join(' ');
    return JSON.stringify({
      '@timestamp': new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString(),
      level: ['info', 'warn', 'error'][i % 3],
      service: ['api', 'web', 'worker', 'db'][i % 4],
      status: [200, 500][i % 2],
      message: i % 5 === 0 ? `payment failed ${text}` : text,
    });
  });
  let at = 0;
  const items = docs.map((d, i) => {
    const item = { op: 'index' as const, index: 'logs', id: String(i), start: at, end: at + Buffer.byteLength(d) };
    at += Buffer.byteLength(d);
    return item;
  });
  assert.equal((await write(engine, { body: Buffer.from(docs.join('')), items })).errors, false);
  return engine;
}
