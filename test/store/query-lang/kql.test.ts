import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryNode } from '../../../src/store/query-lang/ast.ts';
import { MAX_QUERY_DEPTH } from '../../../src/store/query-lang/common.ts';
import { parseKql } from '../../../src/store/query-lang/kql.ts';
import { assertSyntaxError, bool, exists, fuzz, matchAll, phrase, prefix, term, wildcard } from './helpers.ts';

const or = (...should: QueryNode[]) => bool({ should, minimumShouldMatch: 1 });
const and = (...filter: QueryNode[]) => bool({ filter });
const not = (node: QueryNode) => bool({ mustNot: [node] });
const range = (field: string, bounds: Record<string, string>): QueryNode => ({ kind: 'range', field, ...bounds });

const cases: { q: string; tree: QueryNode; why?: string }[] = [
  { q: '', tree: matchAll },
  { q: '  \t ', tree: matchAll },
  // field: value, free text
  { q: 'response:200', tree: term('response', '200') },
  { q: 'response : 200', tree: term('response', '200') },
  { q: '200', tree: term(null, '200') },
  { q: 'message: hello world', tree: term('message', 'hello world'), why: 'unquoted words: a match query, any of them' },
  { q: 'http.response.status_code:400 401 404', tree: term('http.response.status_code', '400 401 404') },
  { q: 'hello world', tree: term(null, 'hello world') },
  { q: 'message: "hello world"', tree: phrase('message', 'hello world') },
  { q: '"hello world"', tree: phrase(null, 'hello world') },
  { q: '"quoted field": x', tree: term('quoted field', 'x') },
  { q: 'f: true', tree: term('f', 'true') },
  { q: 'f:a-b/c.d@e', tree: term('f', 'a-b/c.d@e') },
  // boolean operators, precedence not > and > or, case-insensitive
  { q: 'a or b', tree: or(term(null, 'a'), term(null, 'b')) },
  { q: 'a OR b Or c', tree: or(term(null, 'a'), term(null, 'b'), term(null, 'c')) },
  { q: 'a and b', tree: and(term(null, 'a'), term(null, 'b')) },
  { q: 'a AND b', tree: and(term(null, 'a'), term(null, 'b')) },
  { q: 'a and b or c and d', tree: or(and(term(null, 'a'), term(null, 'b')), and(term(null, 'c'), term(null, 'd'))) },
  { q: 'response:200 and extension:php or extension:css', tree: or(and(term('response', '200'), term('extension', 'php')), term('extension', 'css')) },
  { q: 'response:200 and (extension:php or extension:css)', tree: and(term('response', '200'), or(term('extension', 'php'), term('extension', 'css'))) },
  { q: 'not response:200', tree: not(term('response', '200')) },
  { q: 'NOT a and b', tree: and(not(term(null, 'a')), term(null, 'b')) },
  { q: 'a and not (b or c)', tree: and(term(null, 'a'), not(or(term(null, 'b'), term(null, 'c')))) },
  { q: '((a))', tree: term(null, 'a') },
  { q: '( a or b )', tree: or(term(null, 'a'), term(null, 'b')) },
  { q: 'a\tor\nb', tree: or(term(null, 'a'), term(null, 'b')) },
  // keywords only as whole words between whitespace
  { q: 'order', tree: term(null, 'order') },
  { q: 'android and nothing', tree: and(term(null, 'android'), term(null, 'nothing')) },
  { q: 'foo or', tree: term(null, 'foo or'), why: 'or needs whitespace after it' },
  { q: 'or', tree: term(null, 'or') },
  { q: 'message: cannot connect', tree: term('message', 'cannot connect'), why: 'not inside a word is text (Kibana would reject this)' },
  // value lists
  { q: 'response:(200 or 404)', tree: or(term('response', '200'), term('response', '404')) },
  { q: 'tags:(success and info and security)', tree: and(term('tags', 'success'), term('tags', 'info'), term('tags', 'security')) },
  { q: 'f:(a or b and not c)', tree: or(term('f', 'a'), and(term('f', 'b'), not(term('f', 'c')))) },
  { q: 'f:(not a)', tree: not(term('f', 'a')) },
  { q: 'f:((a or b) and c)', tree: and(or(term('f', 'a'), term('f', 'b')), term('f', 'c')) },
  { q: 'f:("a b" or c*)', tree: or(phrase('f', 'a b'), prefix('f', 'c')) },
  { q: 'f:( a b )', tree: term('f', 'a b') },
  // wildcards, exists, match all
  { q: 'machine.os:win*', tree: prefix('machine.os', 'win') },
  { q: 'f: *win*', tree: wildcard('f', '*win*') },
  { q: 'f: a*b', tree: wildcard('f', 'a*b') },
  { q: 'f: a?b*c', tree: wildcard('f', 'a\\?b*c'), why: '? is not a KQL wildcard: escaped in the pattern' },
  { q: 'f: a\\*b*', tree: prefix('f', 'a*b') },
  { q: 'f: a\\*b*c', tree: wildcard('f', 'a\\*b*c') },
  { q: 'mach*', tree: prefix(null, 'mach') },
  { q: 'http.request.method: *', tree: exists('http.request.method') },
  { q: 'not f:*', tree: not(exists('f')) },
  { q: '*', tree: matchAll },
  { q: '*:*', tree: matchAll },
  { q: 'f: "*"', tree: phrase('f', '*') },
  { q: 'f: \\*', tree: term('f', '*') },
  { q: 'machine.os*:windows 10', tree: term('machine.os*', 'windows 10') },
  { q: 'host.*: web', tree: term('host.*', 'web') },
  // ranges
  { q: 'bytes > 1000', tree: range('bytes', { gt: '1000' }) },
  { q: 'bytes>=1000', tree: range('bytes', { gte: '1000' }) },
  { q: 'bytes < 1000', tree: range('bytes', { lt: '1000' }) },
  { q: 'bytes <= 1000', tree: range('bytes', { lte: '1000' }) },
  { q: 'account_number >= 100 and items_sold <= 200', tree: and(range('account_number', { gte: '100' }), range('items_sold', { lte: '200' })) },
  { q: '@timestamp < "2021-01-02T21:55:59"', tree: range('@timestamp', { lt: '2021-01-02T21:55:59' }) },
  { q: '@timestamp >= now-15m/m', tree: range('@timestamp', { gte: 'now-15m/m' }) },
  { q: 'not bytes > 10', tree: not(range('bytes', { gt: '10' })) },
  // nested fields
  { q: 'user:{ first: "Alice" and last: "White" }', tree: and(phrase('user.first', 'Alice'), phrase('user.last', 'White')) },
  { q: 'a:{ b:{ c: 1 } }', tree: term('a.b.c', '1') },
  { q: 'p:{ n > 3 or m: x* }', tree: or(range('p.n', { gt: '3' }), prefix('p.m', 'x')) },
  { q: 'p:{ free text }', tree: term('p.*', 'free text') },
  { q: 'p : { (a:1) }', tree: term('p.a', '1') },
  // escaping
  { q: 'f:\\(a\\)', tree: term('f', '(a)') },
  { q: 'f:a\\:b', tree: term('f', 'a:b') },
  { q: 'f:\\"x\\"', tree: term('f', '"x"') },
  { q: 'f:\\\\', tree: term('f', '\\') },
  { q: 'f:\\<\\>\\{\\}', tree: term('f', '<>{}') },
  { q: 'f:a\\tb', tree: term('f', 'a\tb') },
  { q: 'f:\\u00e9t\\u00C9', tree: term('f', 'étÉ') },
  { q: '\\and', tree: term(null, 'and') },
  { q: 'f: a \\or b', tree: term('f', 'a or b') },
  { q: 'f: \\NOT x', tree: term('f', 'NOT x') },
  { q: 'my\\:field: x', tree: term('my:field', 'x') },
  { q: 'f:"a \\"b\\" \\\\ c"', tree: phrase('f', 'a "b" \\ c') },
  { q: 'f:"a\\qb"', tree: phrase('f', 'a\\qb'), why: 'other backslashes in quotes stay' },
  { q: 'f:"a:(b)*"', tree: phrase('f', 'a:(b)*') },
];

test('KQL: every construct parses to the expected tree', () => {
  for (const c of cases) {
    assert.deepEqual(parseKql(c.q), c.tree, `${JSON.stringify(c.q)}${c.why ? ` (${c.why})` : ''}`);
  }
});

const errors: { q: string; position: number; message: RegExp }[] = [
  { q: 'f:', position: 2, message: /^Expected "\(", "\{", value but end of input found\.$/ },
  { q: 'f: ', position: 3, message: /but end of input found/ },
  { q: 'f: )', position: 3, message: /^Expected "\(", "\{", value but "\)" found\.$/ },
  { q: 'f: not a', position: 3, message: /but "n" found/ },
  { q: 'a or(b)', position: 4, message: /^Expected AND, OR, end of input but "\(" found\.$/ }, // `or(` is not a keyword: the literal is "a or"
  { q: 'foo not bar', position: 4, message: /^Expected AND, OR, end of input but "n" found\.$/ },
  { q: 'a)', position: 1, message: /^Expected AND, OR, end of input but "\)" found\.$/ },
  { q: 'a "b"', position: 2, message: /but "\\"" found/ },
  { q: '(a', position: 2, message: /^Expected "\)", AND, OR but end of input found\.$/ },
  { q: '(a or b', position: 7, message: /^Expected "\)", AND, OR/ },
  { q: 'f:(a or b', position: 9, message: /^Expected "\)", AND, OR/ },
  { q: 'f:()', position: 3, message: /^Expected "\(", NOT, value but "\)" found\.$/ },
  { q: 'f:(not )', position: 7, message: /^Expected "\(", value but "\)" found\.$/ },
  { q: 'p:{ a: 1', position: 8, message: /^Expected "\}", AND, OR but end of input found\.$/ },
  { q: 'p:{}', position: 3, message: /^Expected "\(", NOT, field name, value but "\}" found\.$/ },
  { q: 'foo or ', position: 7, message: /^Expected "\(", NOT, field name, value but end of input found\.$/ },
  { q: 'a and ', position: 6, message: /end of input found/ },
  { q: 'not ', position: 4, message: /end of input found/ },
  { q: 'not not a', position: 4, message: /but "n" found/ },
  { q: ':a', position: 0, message: /^Expected "\(", NOT, field name, value but ":" found\.$/ },
  { q: '> 3', position: 0, message: /but ">" found/ },
  { q: 'x >', position: 3, message: /^Expected literal but end of input found\.$/ },
  { q: 'x > )', position: 4, message: /^Expected literal but "\)" found\.$/ },
  { q: 'x >= 1 2 :', position: 9, message: /but ":" found/ },
  { q: 'f:"abc', position: 6, message: /^Expected "\\"" but end of input found \(the quote at position 2 is not closed\)\.$/ },
  { q: 'f:a\\', position: 3, message: /but "\\\\" found/ },
  { q: 'f:a\\x', position: 3, message: /but "\\\\" found/ },
  { q: '('.repeat(MAX_QUERY_DEPTH + 1), position: MAX_QUERY_DEPTH, message: /nested too deeply/ },
  { q: `f:${'('.repeat(MAX_QUERY_DEPTH + 1)}`, position: MAX_QUERY_DEPTH + 2, message: /nested too deeply/ },
  { q: 'a:{'.repeat(MAX_QUERY_DEPTH + 1), position: 3 * MAX_QUERY_DEPTH + 2, message: /nested too deeply/ },
];

test('KQL: syntax errors say what was expected and what was found, with the position', () => {
  for (const e of errors) assertSyntaxError(() => parseKql(e.q), 'kql', e.position, e.message, JSON.stringify(e.q));
});

test('KQL: nesting up to the cap parses, long inputs parse in linear time', () => {
  assert.deepEqual(parseKql(`${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`), term(null, 'a'));
  assertSyntaxError(() => parseKql('('.repeat(200_000)), 'kql', MAX_QUERY_DEPTH, /nested too deeply/, 'deep');
  const long = parseKql(Array.from({ length: 20_000 }, (_, i) => `f${i}: v${i}`).join(' or ')) as { should: unknown[] };
  assert.equal(long.should.length, 20_000);
  assert.deepEqual(parseKql(`f: a${' '.repeat(100_000)}b`), term('f', `a${' '.repeat(100_000)}b`));
});

test('KQL: fuzz — random queries give a tree or a QuerySyntaxError, quickly', () => {
  const pieces = [...' \t\\():<>"*{}=', 'a', 'foo', ' or ', ' and ', 'not ', 'OR', 'AND', 'NOT', 'f:', ' : ', '>=', '"x y"', '\\*', '\\and', '\\u00e9', '1', 'p:{'];
  const result = fuzz('kql', (q) => parseKql(q), pieces, { language: 'kql' });
  assert.ok(result.trees > 0 && result.errors > 0, 'the fuzzer reaches both outcomes');
});
