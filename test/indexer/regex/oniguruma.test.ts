import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileOniguruma, RegexSyntaxError } from '../../../src/indexer/regex/oniguruma.ts';

/** [Oniguruma regex, engine auto picks, input, expected captures of named groups (or null: no match)] */
const cases: [string, 'native' | 'oniguruma-to-es', string, Record<string, string> | null][] = [
  ['(?<a>\\d+)-(?<b>\\w+)', 'native', 'x 12-ab', { a: '12', b: 'ab' }],
  ['(?<a>\\d+)', 'native', '١٢', null], // \d is ASCII, as in Ruby
  ['(?<a>x)(y)(?<b>z)', 'native', 'xyz', { a: 'x', b: 'z' }], // unnamed groups do not capture
  ['(?<a>(?>\\d+))5', 'native', '12345', null], // atomic: no backtracking into the group
  ['(?<a>\\d+)5', 'native', '12345', { a: '1234' }],
  ['^(?<a>\\w+)$', 'native', 'one\ntwo', { a: 'one' }], // ^ and $ are line anchors
  ['\\A(?<a>\\w+)', 'native', 'one\ntwo', { a: 'one' }],
  ['(?<a>\\w+)\\z', 'native', 'one\ntwo', { a: 'two' }],
  ['(?<a>a.c)', 'native', 'a\rc', { a: 'a\rc' }], // . excludes only \n
  ['(?<a>a.c)', 'native', 'a\nc', null],
  ['(?<a>\\h+)', 'native', 'xyzBEEF', { a: 'BEEF' }],
  ['(?<a>[[:alpha:]]+)', 'native', '12abc3', { a: 'abc' }],
  ['(?<a>x{,2})', 'native', 'xxx', { a: 'xx' }],
  ["(?'a'q)", 'native', 'q', { a: 'q' }],
  ['(?<a>\\d++)5', 'oniguruma-to-es', '12345', null],
  ['(?<a>\\p{Lu}+)', 'oniguruma-to-es', 'abcDÉF', { a: 'DÉF' }],
  ['(?m)(?<a>a.c)', 'oniguruma-to-es', 'a\nc', { a: 'a\nc' }],
  ['(?<a>[a-z&&[^aeiou]]+)', 'oniguruma-to-es', 'aabcde', { a: 'bcd' }],
  ['(?i)(?<a>error)', 'native', 'ERROR', { a: 'ERROR' }],
];

for (const [source, engine, input, expected] of cases) {
  test(`oniguruma ${source} on ${JSON.stringify(input)}`, () => {
    const compiled = compileOniguruma(source);
    assert.equal(compiled.engine, engine);
    const m = compiled.regex.exec(input);
    if (expected === null) {
      assert.equal(m, null);
      return;
    }
    assert.ok(m !== null);
    const got: Record<string, string> = {};
    for (const { name, index } of compiled.named) got[name] = m[index]!;
    assert.deepEqual(got, expected);
  });
}

test('both engines agree on the native subset', () => {
  for (const [source, engine, input] of cases) {
    if (engine !== 'native') continue;
    const a = compileOniguruma(source);
    const b = compileOniguruma(source, { engine: 'oniguruma-to-es' });
    const ma = a.regex.exec(input);
    const mb = b.regex.exec(input);
    assert.equal(ma === null, mb === null, source);
    if (ma && mb) for (let i = 0; i < a.named.length; i++) assert.equal(ma[a.named[i]!.index], mb[b.named[i]!.index], source);
  }
});

test('numbered groups map to exec indexes across hidden atomic captures', () => {
  const compiled = compileOniguruma('(?>a)(b)(?>c)(d)');
  assert.deepEqual(compiled.numbered, [2, 4]);
  const m = compiled.regex.exec('abcd')!;
  assert.equal(m[compiled.numbered[0]!], 'b');
  assert.equal(m[compiled.numbered[1]!], 'd');
});

test('invalid regexes are RegexSyntaxError', () => {
  assert.throws(() => compileOniguruma('(a'), RegexSyntaxError);
  assert.throws(() => compileOniguruma('a)'), RegexSyntaxError);
  assert.throws(() => compileOniguruma('[a'), RegexSyntaxError);
  assert.throws(() => compileOniguruma('\\p{Nope}'), RegexSyntaxError);
  assert.throws(() => compileOniguruma('x++', { engine: 'native' }), /needs oniguruma-to-es/);
});
