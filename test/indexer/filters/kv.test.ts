import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const m = (message: string) => ({ message });

const cases: FilterCase[] = [
  { name: 'pairs with quoted and bracketed values', options: {}, input: m('user=ann ip=10.0.0.1 msg="login ok" tags=[a b] note=(x y) ref=<r>'), expected: { ...m('user=ann ip=10.0.0.1 msg="login ok" tags=[a b] note=(x y) ref=<r>'), user: 'ann', ip: '10.0.0.1', msg: 'login ok', tags: 'a b', note: 'x y', ref: 'r' } },
  { name: 'words without a value are skipped; lenient spaces around =', options: {}, input: m('GET done a = 1 b=2'), expected: { ...m('GET done a = 1 b=2'), a: '1', b: '2' } },
  { name: 'strict whitespace', options: { whitespace: 'strict' }, input: m('a = 1 b=2'), expected: { ...m('a = 1 b=2'), b: '2' } },
  { name: 'custom separators (query string)', options: { source: 'q', field_split: '&?', value_split: '=', target: 'params' }, input: { q: '?page=2&sort=desc&flag=' }, expected: { q: '?page=2&sort=desc&flag=', params: { page: '2', sort: 'desc' } } },
  { name: 'allow_empty_values', options: { source: 'q', field_split: '&', allow_empty_values: true }, input: { q: 'a=&b=1' }, expected: { q: 'a=&b=1', a: '', b: '1' } },
  { name: 'separator patterns', options: { field_split_pattern: ',\\s*', value_split_pattern: '\\s*:\\s*' }, input: m('a: 1, b :2,c:3'), expected: { ...m('a: 1, b :2,c:3'), a: '1', b: '2', c: '3' } },
  { name: 'duplicate keys make a list; allow_duplicate_values false drops equal pairs', options: { allow_duplicate_values: false }, input: m('a=1 a=2 a=1'), expected: { ...m('a=1 a=2 a=1'), a: ['1', '2'] } },
  { name: 'include_keys, prefix, transform_key', options: { include_keys: ['host', 'port'], prefix: 'kv_', transform_key: 'lowercase' }, input: m('HOST=h PORT=80 USER=u'), expected: { ...m('HOST=h PORT=80 USER=u'), kv_host: 'h', kv_port: '80' } },
  { name: 'exclude_keys, trim and remove characters', options: { exclude_keys: ['secret'], trim_value: '.,', remove_char_key: '-', transform_value: 'uppercase' }, input: m('a-b=x., secret=s c=d'), expected: { ...m('a-b=x., secret=s c=d'), ab: 'X', c: 'D' } },
  { name: 'default_keys fill missing keys', options: { default_keys: { level: 'info', a: 'z' } }, input: m('a=1'), expected: { ...m('a=1'), a: '1', level: 'info' } },
  { name: 'recursive bracketed values', options: { recursive: true }, input: m('outer=[a=1 b=2] c=3'), expected: { ...m('outer=[a=1 b=2] c=3'), outer: { a: '1', b: '2' }, c: '3' } },
  { name: 'include_brackets false keeps brackets as text', options: { include_brackets: false }, input: m('a=[x] b=2'), expected: { ...m('a=[x] b=2'), a: '[x]', b: '2' } },
  { name: 'keys with brackets become literal fields', options: {}, input: m('a[b]=1'), expected: { ...m('a[b]=1'), 'a[b]': '1' } },
  { name: 'a list of strings is parsed whole', options: { source: 'lines', target: 'kv' }, input: { lines: ['a=1', 'b=2'] }, expected: { lines: ['a=1', 'b=2'], kv: { a: '1', b: '2' } } },
  { name: 'a non-text source tags _kv_filter_error', options: { source: 'obj' }, input: { obj: { a: 1 } }, expected: { obj: { a: 1 }, tags: ['_kv_filter_error'] } },
  { name: 'missing source: nothing happens', options: { add_tag: ['kv'] }, input: { x: 1 }, expected: { x: 1 } },
];

runFilterCases('kv', cases);

const problems: ProblemCase[] = [
  { name: 'bad separator regex', options: { field_split_pattern: '(' }, path: ['field_split_pattern'], message: 'invalid regular expression' },
  { name: 'empty value_split', options: { value_split: '' }, path: ['value_split'], message: 'at least 1 character' },
];

runProblemCases('kv', problems);
