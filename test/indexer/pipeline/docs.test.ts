import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../../src/config/load.ts';

const DOC = path.join(import.meta.dirname, '..', '..', '..', 'docs', 'indexer.md');

test('the example configuration of docs/indexer.md is valid', async () => {
  const text = await readFile(DOC, 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(yaml, 'a yaml block');
  const config = parseConfigText(yaml, 'docs/indexer.md', {});
  const [pipeline] = config.indexer.pipelines;
  assert.equal(pipeline?.name, 'apps');
  assert.equal(pipeline?.max_poll_records, 10);
  assert.equal(pipeline?.outputs.length, 2);
});
