import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const cases: FilterCase[] = [
  { name: 'rename, nested and into metadata', options: { rename: { host: '[host][name]', secret: '[@metadata][secret]' } }, input: { host: 'web-1', secret: 's' }, expected: { host: { name: 'web-1' } }, expectedMetadata: { secret: 's' } },
  { name: 'rename of a missing field does nothing', options: { rename: { nope: 'x' } }, input: { a: 1 }, expected: { a: 1 } },
  { name: 'update only touches existing fields', options: { update: { a: 'new %{b}', missing: 'x' } }, input: { a: 'old', b: 'B' }, expected: { a: 'new B', b: 'B' } },
  { name: 'replace creates fields; numbers keep their type', options: { replace: { a: '%{b}!', n: 5 } }, input: { b: 'B' }, expected: { b: 'B', a: 'B!', n: 5 } },
  {
    name: 'convert: integer, float, boolean, string, lists',
    options: { convert: { i: 'integer', f: 'float', b: 'boolean', s: 'string', list: 'integer', comma: 'integer', weird: 'boolean', o: 'string' } },
    input: { i: '3.9', f: '1,234.5', b: 'yes', s: 42, list: ['1', '2x', 'x'], comma: '1,000', weird: 'maybe', o: { k: 1 } },
    expected: { i: 3, f: 1234.5, b: true, s: '42', list: [1, 2, 0], comma: 1000, weird: 'maybe', o: { k: 1 } },
  },
  { name: 'convert European numbers', options: { convert: { a: 'integer_eu', b: 'float_eu' } }, input: { a: '1.234,9', b: '1.234,5' }, expected: { a: 1234, b: 1234.5 } },
  { name: 'convert booleans to numbers and back', options: { convert: { t: 'integer', f: 'boolean' } }, input: { t: true, f: '0' }, expected: { t: 1, f: false } },
  {
    name: 'gsub with flat list, groups and a list field',
    options: { gsub: ['path', '/', '_', 'dates', '(\\d+)-(\\d+)', '\\2/\\1', 'msg', '(?<w>\\w+)@', '<\\k<w>>'] },
    input: { path: '/a/b', dates: ['01-02', 'x'], msg: 'mail ann@ and bob@' },
    expected: { path: '_a_b', dates: ['02/01', 'x'], msg: 'mail <ann> and <bob>' },
  },
  { name: 'gsub with triples', options: { gsub: [['a', '[aeiou]', '*']] }, input: { a: 'banana' }, expected: { a: 'b*n*n*' } },
  { name: 'uppercase, lowercase, capitalize, strip', options: { uppercase: ['u'], lowercase: 'l', capitalize: ['c'], strip: ['s', 'list'] }, input: { u: 'abc', l: 'ABC', c: 'hELLO', s: '  x \n', list: [' a ', 1] }, expected: { u: 'ABC', l: 'abc', c: 'Hello', s: 'x', list: ['a', 1] } },
  { name: 'split (trailing empties dropped, single space splits on runs)', options: { split: { csv: ',', words: ' ' } }, input: { csv: 'a,b,,c,,', words: '  one two   three ' }, expected: { csv: ['a', 'b', '', 'c'], words: ['one', 'two', 'three'] } },
  { name: 'join', options: { join: { list: '|', notalist: '|' } }, input: { list: ['a', 1, true], notalist: 'x' }, expected: { list: 'a|1|true', notalist: 'x' } },
  {
    name: 'merge: lists, strings, hashes',
    options: { merge: { list: 'more', str: 'other', hash: 'hash2', empty: 'more' } },
    input: { list: ['a'], more: ['b', 'c'], str: 'x', other: 'y', hash: { a: 1 }, hash2: { b: 2 } },
    expected: { list: ['a', 'b', 'c'], more: ['b', 'c'], str: ['x', 'y'], other: 'y', hash: { a: 1, b: 2 }, hash2: { b: 2 }, empty: ['b', 'c'] },
  },
  { name: 'merge of a hash and a list is refused', options: { merge: { hash: 'list' } }, input: { hash: { a: 1 }, list: [1] }, expected: { hash: { a: 1 }, list: [1] } },
  { name: 'copy is deep', options: { copy: { src: '[dst][inner]' }, replace: { '[src][k]': 'changed' } }, input: { src: { k: 'v' } }, expected: { src: { k: 'changed' }, dst: { inner: { k: 'changed' } } } },
  { name: 'coerce sets null fields only', options: { coerce: { a: 'default', b: 'default', c: 0 } }, input: { a: null, b: 'set' }, expected: { a: 'default', b: 'set' } },
  {
    name: 'documented order: rename before replace before convert before split before join before copy',
    options: { copy: { parts: 'parts_copy' }, join: { parts: '+' }, split: { parts: '-' }, convert: { n: 'integer' }, replace: { n: '%{raw}' }, rename: { old: 'raw' } },
    input: { old: '7', parts: 'a-b' },
    expected: { raw: '7', n: 7, parts: 'a+b', parts_copy: 'a+b' },
  },
  {
    name: 'common options after the mutations, in Logstash order (add_field appends)',
    options: { rename: { a: 'b' }, add_field: { 'from_%{b}': '%{b}', b: 'extra' }, remove_field: ['drop_me'], add_tag: ['t1', 't2'], remove_tag: ['t1', 'old'] },
    input: { a: 'x', drop_me: 1, tags: ['old'] },
    expected: { b: ['x', 'extra'], from_x: 'x', tags: ['t2'] },
  },
];

runFilterCases('mutate', cases);

const problems: ProblemCase[] = [
  { name: 'unknown conversion', options: { convert: { a: 'int' } }, path: ['convert', 'a'], message: 'one of "integer"' },
  { name: 'gsub list not in triples', options: { gsub: ['a', 'b'] }, path: ['gsub'], message: 'triples' },
  { name: 'gsub with a bad regex', options: { gsub: ['a', '(', 'x'] }, path: ['gsub', 0], message: 'invalid regular expression' },
  { name: 'bad field reference as a rename key', options: { rename: { 'a]': 'b' } }, path: ['rename', 'a]'], message: 'a field reference' },
  { name: 'bad template', options: { replace: { a: '%{a[b]}' } }, path: ['replace', 'a'], message: 'a valid %{...} template' },
  { name: 'unknown operation', options: { remove: ['a'] }, path: ['remove'], message: 'known here:' },
];

runProblemCases('mutate', problems);
