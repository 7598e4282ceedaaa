import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance } from '../../src/config/suggest.ts';

test('editDistance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('port', 'port'), 0);
  assert.equal(editDistance('prot', 'port'), 2);
  assert.equal(editDistance('host', 'hosts'), 1);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closest suggests only near names', () => {
  assert.equal(closest('prot', ['enabled', 'host', 'port']), 'port');
  assert.equal(closest('retention', ['segment', 'cleanup']), undefined);
  assert.equal(closest('COMBINEDAPACHLOG', ['COMMONAPACHELOG', 'COMBINEDAPACHELOG'], 4), 'COMBINEDAPACHELOG');
});
