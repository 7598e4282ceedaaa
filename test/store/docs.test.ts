/** The curl examples of docs/store.md work as printed (against a store on a free port). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT, tempDir } from '../helpers/cli.ts';
import { startTestStore } from './helpers.ts';

/** Runs the first `sh` block of docs/store.md that contains `marker`, against a store on a free port; returns its stdout. */
async function runDocBlock(t: TestContext, marker: string): Promise<string> {
  const doc = await readFile(path.join(REPO_ROOT, 'docs', 'store.md'), 'utf8');
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const script = blocks.find((b) => b.includes(marker));
  assert.ok(script, `docs/store.md has an sh block containing ${marker}`);
  const es = await startTestStore(t);
  const dir = await tempDir(t, 'loglane-store-docs-');
  const port = new URL(es.url).port;
  const runnable = script.replaceAll('localhost:9200', `localhost:${port}`).replaceAll('/tmp/', `${dir}/`);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', runnable], { maxBuffer: 10 * 1024 * 1024 });
  return stdout;
}

test('the curl examples in docs/store.md run without errors', async (t) => {
  const stdout = await runDocBlock(t, 'curl -s localhost:9200/');
  assert.doesNotMatch(stdout, /"error"\s*:/, stdout);
  assert.doesNotMatch(stdout, /"errors"\s*:\s*true/, stdout);
  assert.match(stdout, /"tagline" : "You Know, for Search"|"tagline":"You Know, for Search"/);
  assert.match(stdout, /\{"count":4,/);
  assert.match(stdout, /\{"count":1,/);
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '.');
  assert.match(stdout, new RegExp(`logs-${today.replaceAll('.', '\\.')}`));
});

test('the search examples in docs/store.md run without errors and find what they say', async (t) => {
  const stdout = await runDocBlock(t, 'web-logs/_search');
  assert.doesNotMatch(stdout, /"error"\s*:/, stdout);
  assert.match(stdout, /\{"hits":\{"total":\{"value":1,"relation":"eq"\},"hits":\[\{"_id":"2"\}\]\}\}/);
  assert.match(stdout, /\{"count":1,/);
  assert.match(stdout, /<em>payment<\/em>/);
  assert.match(stdout, /"key_as_string":"2024-05-01T10:00:00.000Z","key":1714557600000,"doc_count":2,"levels"/);
  assert.match(stdout, /"_scroll_id":"[^"]+","took"/);
  assert.match(stdout, /"responses":\[/);
});
