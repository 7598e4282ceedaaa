import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES } from '../../src/errors/codes.ts';
import { LoglaneError } from '../../src/errors/loglane-error.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

test('every error code is documented in docs/errors.md, and every documented code exists', async () => {
  const doc = await readFile(path.join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^### (LOGLANE_ERR_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1]);
  const codes = Object.keys(ERROR_CODES);
  assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
  assert.deepEqual([...codes].sort(), [...documented].sort());
});

test('codes follow LOGLANE_ERR_<AREA>_<REASON> and are unique', () => {
  const codes = Object.keys(ERROR_CODES);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^LOGLANE_ERR_[A-Z]+(_[A-Z0-9]+)+$/);
});

test('LoglaneError carries code, retriable verdict, cause and frozen context', () => {
  const cause = new Error('disk');
  const error = new LoglaneError('LOGLANE_ERR_BROKER_STORAGE', 'write failed', { retriable: true, cause, context: { topic: 't' } });
  assert.equal(error.code, 'LOGLANE_ERR_BROKER_STORAGE');
  assert.equal(error.retriable, true);
  assert.equal(error.cause, cause);
  assert.ok(Object.isFrozen(error.context));
  assert.deepEqual(error.toJSON(), { name: 'LoglaneError', code: 'LOGLANE_ERR_BROKER_STORAGE', message: 'write failed', retriable: true, context: { topic: 't' } });
});
