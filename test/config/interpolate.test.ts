import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolate, retypePlainScalar } from '../../src/config/interpolate.ts';

const env = { SET: 'value', EMPTY: '' };

const cases: [string, string | RegExp][] = [
  ['plain text', 'plain text'],
  ['${SET}', 'value'],
  ['a-${SET}-b', 'a-value-b'],
  ['${UNSET:-fallback}', 'fallback'],
  ['${EMPTY:-fallback}', 'fallback'],
  ['${EMPTY-fallback}', ''],
  ['${UNSET-fallback}', 'fallback'],
  ['${SET:?needed}', 'value'],
  ['$${SET}', '${SET}'],
  ['${UNSET}', /UNSET is not set/],
  ['${UNSET:?tell me why}', /UNSET is required: tell me why/],
  ['${EMPTY:?}', /EMPTY is required: it is required/],
  ['${EMPTY?}', ''],
  ['${1BAD}', /not a valid reference/],
];

for (const [input, expected] of cases) {
  test(`interpolate ${JSON.stringify(input)}`, () => {
    const result = interpolate(input, env);
    if (typeof expected === 'string') {
      assert.ok(result.ok, `expected success for ${input}`);
      assert.equal(result.value, expected);
    } else {
      assert.ok(!result.ok, `expected failure for ${input}`);
      assert.match(result.failure.reason, expected);
    }
  });
}

test('retypePlainScalar follows YAML core scalar types', () => {
  assert.equal(retypePlainScalar('42'), 42);
  assert.equal(retypePlainScalar('-1.5e3'), -1500);
  assert.equal(retypePlainScalar('true'), true);
  assert.equal(retypePlainScalar('False'), false);
  assert.equal(retypePlainScalar('~'), null);
  assert.equal(retypePlainScalar('127.0.0.1'), '127.0.0.1');
  assert.equal(retypePlainScalar('0x10'), '0x10');
});
