import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryNode } from '../../../src/store/query-lang/ast.ts';
import { MAX_QUERY_DEPTH } from '../../../src/store/query-lang/common.ts';
import { parseSimpleQueryFlags, parseSimpleQueryString, type SimpleQueryStringOptions } from '../../../src/store/query-lang/simple.ts';
import { assertSyntaxError, bool, fuzz, matchAll, matchNone, phrase, prefix, term } from './helpers.ts';

const t = (text: string) => term(null, text);
const not = (node: QueryNode) => bool({ mustNot: [node], should: [matchAll] });
const fuzzy = (text: string, fuzziness: number): QueryNode => ({ kind: 'fuzzy', field: null, text, fuzziness });

interface Case {
  q: string;
  opts?: SimpleQueryStringOptions;
  tree: QueryNode;
  why?: string;
}

const cases: Case[] = [
  { q: '', tree: matchNone },
  { q: '   ', tree: matchNone },
  { q: '*', tree: matchAll },
  { q: ' * ', tree: matchAll },
  { q: 'error', tree: t('error') },
  { q: 'a b c', tree: bool({ should: [t('a'), t('b'), t('c')] }) },
  { q: 'a b c', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('a'), t('b'), t('c')] }) },
  { q: 'a b', opts: { defaultOperator: 'and' }, tree: bool({ must: [t('a'), t('b')] }), why: 'operator names are case-insensitive' },
  // operators, strictly left to right
  { q: 'a + b', tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a+b', tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a | b', tree: bool({ should: [t('a'), t('b')] }) },
  { q: 'a | b + c', tree: bool({ must: [bool({ should: [t('a'), t('b')] }), t('c')] }) },
  { q: 'a + b | c', tree: bool({ should: [bool({ must: [t('a'), t('b')] }), t('c')] }) },
  { q: 'a + b c', tree: bool({ should: [bool({ must: [t('a'), t('b')] }), t('c')] }) },
  { q: 'a + b c', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('a'), t('b'), t('c')] }) },
  { q: 'a + | b', tree: bool({ must: [t('a'), t('b')] }), why: 'the first operator wins' },
  { q: '+a', tree: t('a'), why: 'an operator with nothing before it is ignored' },
  { q: '| a |', tree: t('a') },
  { q: 'a-b', tree: t('a-b'), why: '- inside a word is part of it' },
  // negation
  { q: '-a', tree: not(t('a')) },
  { q: '--a', tree: t('a'), why: 'two negations cancel' },
  { q: '---a', tree: not(t('a')) },
  { q: '- a', tree: t('a'), why: 'whitespace ends a pending negation' },
  { q: 'foo -bar', tree: bool({ should: [t('foo'), not(t('bar'))] }) },
  { q: 'foo -bar', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('foo'), not(t('bar'))] }) },
  { q: '-"a b"', tree: not(phrase(null, 'a b')) },
  { q: '-(a | b)', tree: not(bool({ should: [t('a'), t('b')] })) },
  // phrases and slop
  { q: '"a b"', tree: phrase(null, 'a b') },
  { q: '"a b"~2', tree: phrase(null, 'a b', 2) },
  { q: '"a b"~', tree: phrase(null, 'a b', 0) },
  { q: '"a b"~x c', tree: bool({ should: [phrase(null, 'a b', 0), t('c')] }) },
  { q: '"a b"~2 c', tree: bool({ should: [phrase(null, 'a b', 2), t('c')] }) },
  { q: '"a b"~2+c', tree: bool({ should: [phrase(null, 'a b', 2), t('c')] }), why: 'Lucene steps over the character after a slop' },
  { q: '"say \\"hi\\""', tree: phrase(null, 'say "hi"') },
  { q: '"a b', tree: bool({ should: [t('a'), t('b')] }), why: 'an unclosed quote is ignored' },
  { q: 'x ""', tree: t('x') },
  { q: 'x + "" y', tree: bool({ should: [t('x'), t('y')] }), why: '"" clears the pending operator' },
  { q: '"a b"~2', opts: { flags: 'PHRASE' }, tree: bool({ should: [phrase(null, 'a b', 0), t('~2')] }), why: 'without NEAR, ~2 is a word' },
  // prefix and fuzzy
  { q: 'qui*', tree: prefix(null, 'qui') },
  { q: 'qu*ck', tree: t('qu*ck'), why: 'only a trailing * is an operator' },
  { q: '*', opts: { flags: 'PREFIX' }, tree: matchAll },
  { q: 'a *', tree: bool({ should: [t('a'), t('*')] }) },
  { q: 'qui\\*', tree: t('qui*') },
  { q: 'quikc~', tree: fuzzy('quikc', 2) },
  { q: 'quikc~1', tree: fuzzy('quikc', 1) },
  { q: 'quikc~5', tree: fuzzy('quikc', 2), why: 'edit distance is capped at 2' },
  { q: 'quikc~0', tree: t('quikc') },
  { q: 'quikc~-1', tree: t('quikc') },
  { q: 'quikc~x', tree: t('quikc') },
  { q: 'quikc~1 brwn~', tree: bool({ should: [fuzzy('quikc', 1), fuzzy('brwn', 2)] }) },
  { q: '~a', tree: t('~a') },
  // precedence
  { q: '(a | b) + c', tree: bool({ must: [bool({ should: [t('a'), t('b')] }), t('c')] }) },
  { q: 'a + (b | c)', tree: bool({ must: [t('a'), bool({ should: [t('b'), t('c')] })] }) },
  { q: '((a))', tree: t('a') },
  { q: '(a', tree: t('a'), why: 'an unclosed ( is ignored' },
  { q: 'a)', tree: t('a'), why: 'a stray ) is ignored' },
  { q: '((a) b', tree: bool({ should: [t('a'), t('b')] }) },
  { q: '()', tree: matchNone },
  { q: 'a + () b', tree: bool({ should: [t('a'), t('b')] }), why: '() clears the pending operator' },
  { q: '("a)" b)', tree: bool({ should: [t('a'), t('b')] }), why: 'parentheses are matched before quotes, as Lucene does' },
  // escapes
  { q: 'a\\ b', tree: t('a b') },
  { q: '\\-a \\+b \\|c \\(d\\) \\"e\\" f\\* g\\~1 \\\\', tree: bool({ should: [t('-a'), t('+b'), t('|c'), t('(d)'), t('"e"'), t('f*'), t('g~1'), t('\\')] }) },
  { q: 'a\\', tree: t('a'), why: 'a trailing backslash is dropped' },
  { q: '\\(a', tree: t('(a') },
  // flags
  { q: 'a + b', opts: { flags: 'NONE' }, tree: t('a + b') },
  { q: 'a b', opts: { flags: 'OR' }, tree: t('a b'), why: 'without WHITESPACE, spaces are part of words' },
  { q: 'a b', opts: { flags: 'WHITESPACE' }, tree: bool({ should: [t('a'), t('b')] }) },
  { q: '-a', opts: { flags: 'AND|OR|WHITESPACE' }, tree: t('-a') },
  { q: 'a | b', opts: { flags: 'AND|WHITESPACE' }, tree: bool({ should: [t('a'), t('|'), t('b')] }) },
  { q: 'a*', opts: { flags: 'AND' }, tree: t('a*') },
  { q: '"a b"', opts: { flags: 'WHITESPACE' }, tree: bool({ should: [t('"a'), t('b"')] }) },
  { q: '(a)', opts: { flags: 'WHITESPACE' }, tree: t('(a)') },
  { q: 'a~1', opts: { flags: 'WHITESPACE' }, tree: t('a~1') },
  { q: 'a\\+b', opts: { flags: 'AND' }, tree: bool({ must: [t('a\\'), t('b')] }), why: 'without ESCAPE a backslash is a character' },
  { q: 'a + b', opts: { flags: 'and|whitespace' }, tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a + b', opts: { flags: 'AND|NONE|WHITESPACE' }, tree: t('a + b'), why: 'NONE wins' },
  { q: 'a + b', opts: { flags: 0 }, tree: t('a + b') },
  { q: 'a + b', opts: { flags: -1 }, tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a + b', opts: { flags: 1 | 128 }, tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a + b', opts: { flags: '' }, tree: bool({ must: [t('a'), t('b')] }) },
];

test('simple_query_string: every construct parses to the expected tree', () => {
  for (const c of cases) {
    assert.deepEqual(parseSimpleQueryString(c.q, c.opts), c.tree, `${JSON.stringify(c.q)} ${JSON.stringify(c.opts ?? {})}${c.why ? ` (${c.why})` : ''}`);
  }
});

test('simple_query_string: flags parse like Elasticsearch; an unknown flag is an error naming it', () => {
  assert.equal(parseSimpleQueryFlags(undefined), -1);
  assert.equal(parseSimpleQueryFlags('ALL'), -1);
  assert.equal(parseSimpleQueryFlags('NONE'), 0);
  assert.equal(parseSimpleQueryFlags('OR|AND|PREFIX'), 1 | 4 | 8);
  assert.equal(parseSimpleQueryFlags('near|slop'), 512);
  assert.equal(parseSimpleQueryFlags('AND||OR'), 5);
  assertSyntaxError(() => parseSimpleQueryFlags('AND|BOGUS'), 'simple', 4, /^Unknown simple_query_string flag \[BOGUS\]$/, 'bogus');
  assertSyntaxError(() => parseSimpleQueryString('a', { flags: ' AND' }), 'simple', 0, /flag \[ AND\]/, 'untrimmed');
});

test('simple_query_string: never throws on the query text, deep nesting is flattened past the cap', () => {
  const deep = `${'('.repeat(MAX_QUERY_DEPTH + 50)}a | b${')'.repeat(MAX_QUERY_DEPTH + 50)}`;
  assert.deepEqual(parseSimpleQueryString(deep), bool({ should: [t('a'), t('b')] }));
  assert.deepEqual(parseSimpleQueryString('('.repeat(100_000)), matchNone);
  assert.deepEqual(parseSimpleQueryString(`${'"'.repeat(50_001)}x`), t('x'));
  const long = parseSimpleQueryString(Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' | ')) as { should: unknown[] };
  assert.equal(long.should.length, 20_000);
});

test('simple_query_string: fuzz — random text always gives a tree, quickly', () => {
  const pieces = [...' \t+|-"()*~\\', 'a', 'foo', 'AND', '~2', '"x y"', '\\\\', '2'];
  fuzz('simple_query_string', (q) => parseSimpleQueryString(q), pieces, { neverThrows: true });
  for (const flags of ['NONE', 'AND|OR', 'PHRASE|NEAR|WHITESPACE', 'PRECEDENCE|NOT|FUZZY']) {
    fuzz(`simple_query_string ${flags}`, (q) => parseSimpleQueryString(q, { flags, defaultOperator: 'AND' }), pieces, { durationMs: 100, neverThrows: true });
  }
});
