/**
 * kill -9 during sustained bulk ingest loses no acknowledged document: a store runs as a
 * child process (`loglane store`), two writers send bulks with known ids and remember
 * what was acknowledged, the process is SIGKILLed mid-write, restarted on the same data,
 * and every acknowledged id must be there, and found by a full-text search. Several kills in
 * a row, one data directory.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir } from '../helpers/cli.ts';

const KILLS = 3;
const DOCS_PER_BULK = 250;

async function startStore(cwd: string) {
  const proc = startCli(['store'], { cwd });
  const match = await proc.waitForLine(/elasticsearch\s+127\.0\.0\.1:(\d+)/);
  return { proc, url: `http://127.0.0.1:${match[1]}` };
}

async function bulk(url: string, ids: string[]): Promise<string[]> {
  const body = `${ids.map((id) => `{"index":{"_index":"crash","_id":"${id}"}}\n{"@timestamp":"${new Date().toISOString()}","message":"document ${id} ${'x'.repeat(150)}","n":${Number(id.slice(2))}}`).join('\n')}\n`;
  const res = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const json = (await res.json()) as { items: { index: { _id: string; status: number } }[] };
  return json.items.filter((i) => i.index.status === 201 || i.index.status === 200).map((i) => i.index._id);
}

test('kill -9 during sustained bulk loses no acknowledged document, over several kills', { timeout: 120_000 }, async (t) => {
  const cwd = await tempDir(t, 'loglane-store-crash-');
  await writeFile(path.join(cwd, 'loglane.yml'), `data_dir: ${path.join(cwd, 'data')}\nadmin:\n  port: 0\nstore:\n  port: 0\nlog:\n  level: warn\n`);
  const acknowledged = new Set<string>();
  let next = 0;
  let running: Awaited<ReturnType<typeof startStore>> | undefined;
  t.after(() => {
    running?.proc.child.kill('SIGKILL');
  });
  for (let round = 0; round < KILLS; round++) {
    running = await startStore(cwd);
    const { url, proc } = running;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const ids = Array.from({ length: DOCS_PER_BULK }, () => `d-${next++}`);
        try {
          for (const id of await bulk(url, ids)) acknowledged.add(id);
        } catch {
          return; // the connection died with the process: those items were never acknowledged
        }
      }
    };
    const writers = [writer(), writer()];
    const target = acknowledged.size + 3_000 + round * 500;
    while (acknowledged.size < target) await new Promise((resolve) => setImmediate(resolve));
    killed = true;
    proc.child.kill('SIGKILL');
    await Promise.all(writers);
    const exit = await proc.exited;
    assert.equal(exit.signal, 'SIGKILL');
  }
  running = await startStore(cwd);
  const { url } = running;
  const ids = [...acknowledged];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const res = await fetch(`${url}/crash/_count`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: { ids: { values: chunk } } }) });
    const { count } = (await res.json()) as { count: number };
    assert.equal(count, chunk.length, `acknowledged documents missing after ${KILLS} kills`);
  }
  const total = (await (await fetch(`${url}/crash/_count`)).json()) as { count: number };
  assert.ok(total.count >= acknowledged.size);
  // The full-text index (fts.db, written by its own thread) holds every stored document:
  // what a kill left out of it was re-indexed on start.
  const searchable = await fetch(`${url}/crash/_count`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: { match: { message: 'document' } } }) });
  assert.equal(((await searchable.json()) as { count: number }).count, total.count);
  // Still writable, and a sample reads back intact.
  assert.deepEqual(await bulk(url, ['d-999999999']), ['d-999999999']);
  const sample = (await (await fetch(`${url}/crash/_doc/${ids[ids.length - 1]}`)).json()) as { _source: { message: string } };
  assert.match(sample._source.message, /^document d-\d+ x+$/);
  running.proc.child.kill('SIGTERM');
  await running.proc.exited;
  running = undefined;
});
