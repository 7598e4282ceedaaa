import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Registry } from '../../../../src/shipper/inputs/file/registry.ts';
import { tempDir } from '../../../helpers/cli.ts';

test('the registry is written atomically and read back; re-keying moves a state', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'sub', 'registry.json');
  const { registry } = await Registry.open(file);
  const state = registry.create('in/ino:1:2', { input: 'in', path: '/x.log', offset: 0, dev: 1, ino: 2 });
  registry.advance(state, 120);
  registry.rekey(state, 'in/fp:abc');
  await registry.flush();
  assert.deepEqual(await readdir(path.dirname(file)), ['registry.json']);
  const again = (await Registry.open(file)).registry;
  assert.equal(again.get('in/fp:abc')?.offset, 120);
  assert.equal(again.get('in/fp:abc')?.readOffset, 120);
  assert.equal(again.get('in/ino:1:2'), undefined);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).version, 1);
});

test('a registry that is not JSON is reported, and files start over (duplicates, never gaps)', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'registry.json');
  await writeFile(file, '{"version":1,"files":[');
  const { registry, problem } = await Registry.open(file);
  assert.match(problem ?? '', /not valid JSON/);
  assert.deepEqual([...registry.states()], []);
});
