import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import type { QueryNode } from '../../../src/store/query-lang/ast.ts';
import { MAX_QUERY_DEPTH } from '../../../src/store/query-lang/common.ts';
import { parseQueryString, type QueryStringOptions } from '../../../src/store/query-lang/lucene.ts';
import { assertSyntaxError, bool, exists, fuzz, matchAll, matchNone, phrase, prefix, term, wildcard } from './helpers.ts';

const t = (text: string) => term(null, text);

interface Case {
  q: string;
  opts?: QueryStringOptions;
  tree: QueryNode;
  why?: string;
}

const cases: Case[] = [
  // empty → no documents (Elasticsearch: "Matching no documents because no terms present")
  { q: '', tree: matchNone },
  { q: ' \t\n', tree: matchNone },
  // terms, fields, multi-word runs analysed as one text (split_on_whitespace=false)
  { q: 'error', tree: t('error') },
  { q: 'level:error', tree: term('level', 'error') },
  { q: 'level: error', tree: term('level', 'error'), why: 'whitespace between tokens is skipped' },
  { q: 'new york city', tree: t('new york city') },
  { q: 'title:(quick brown)', tree: term('title', 'quick brown') },
  { q: 'a b:c d', tree: bool({ should: [t('a'), term('b', 'c'), t('d')] }), why: 'a run stops before a field name' },
  { q: 'a b c AND d', tree: bool({ must: [t('c'), t('d')], should: [t('a b')] }) },
  { q: 'a-b c+d', tree: t('a-b c+d'), why: '- and + inside a word belong to it' },
  { q: '@timestamp:x', tree: term('@timestamp', 'x') },
  { q: 'ANDROID ORACLE NOTICE', tree: t('ANDROID ORACLE NOTICE'), why: 'operators are whole words' },
  { q: 'and or not', tree: t('and or not'), why: 'operators are upper case' },
  { q: '&&&', tree: t('&&&') },
  // field groups, nested fields in groups
  { q: 'title:(a OR b)', tree: bool({ should: [term('title', 'a'), term('title', 'b')] }) },
  { q: 'title:(a body:b)', tree: bool({ should: [term('title', 'a'), term('body', 'b')] }) },
  { q: 'status:(200 OR 404) AND service:api', tree: bool({ must: [bool({ should: [term('status', '200'), term('status', '404')] }), term('service', 'api')] }) },
  // wildcard field names
  { q: 'host.\\*:web', tree: term('host.*', 'web'), why: 'escaped, as Elasticsearch documents it' },
  { q: 'host.*:web', tree: term('host.*', 'web'), why: 'unescaped accepted too' },
  { q: 'h*t.name:(a OR b)', tree: bool({ should: [term('h*t.name', 'a'), term('h*t.name', 'b')] }) },
  { q: '*:foo', tree: term('*', 'foo') },
  // boolean operators, Lucene's clause semantics
  { q: 'a AND b', tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a && b', tree: bool({ must: [t('a'), t('b')] }) },
  { q: 'a OR b', tree: bool({ should: [t('a'), t('b')] }) },
  { q: 'a || b', tree: bool({ should: [t('a'), t('b')] }) },
  { q: 'a AND b OR c', tree: bool({ must: [t('a'), t('b')], should: [t('c')] }), why: '+a +b c' },
  { q: 'a OR b AND c', tree: bool({ must: [t('b'), t('c')], should: [t('a')] }), why: 'a +b +c' },
  { q: 'a AND b OR c', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('a')], should: [t('b'), t('c')] }), why: '+a b c' },
  { q: 'a OR b', opts: { defaultOperator: 'AND' }, tree: bool({ should: [t('a'), t('b')] }) },
  { q: 'a b:c', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('a'), term('b', 'c')] }) },
  { q: 'new york', opts: { defaultOperator: 'AND' }, tree: t('new york') },
  { q: 'x new york', opts: { defaultOperator: 'AND' }, tree: t('x new york') },
  { q: 'x:1 new york', opts: { defaultOperator: 'AND' }, tree: bool({ must: [term('x', '1'), t('new york')] }) },
  { q: 'a NOT b', tree: bool({ should: [t('a')], mustNot: [t('b')] }) },
  { q: 'a AND NOT b', tree: bool({ must: [t('a')], mustNot: [t('b')] }) },
  { q: 'a !b', tree: bool({ should: [t('a')], mustNot: [t('b')] }) },
  { q: '-a AND b', tree: bool({ must: [t('b')], mustNot: [t('a')] }), why: 'AND does not make a prohibited clause required' },
  { q: '-a OR b', opts: { defaultOperator: 'AND' }, tree: bool({ should: [t('b')], mustNot: [t('a')] }) },
  { q: 'NOT a', tree: bool({ mustNot: [t('a')] }), why: 'pure negative: every document except a' },
  { q: '!a', tree: bool({ mustNot: [t('a')] }) },
  { q: '-a', tree: bool({ mustNot: [t('a')] }) },
  { q: '+a', tree: bool({ must: [t('a')] }) },
  { q: '+a -b c', tree: bool({ must: [t('a')], should: [t('c')], mustNot: [t('b')] }) },
  { q: '+a +b', opts: { defaultOperator: 'AND' }, tree: bool({ must: [t('a'), t('b')] }) },
  { q: '(a OR b) AND c', tree: bool({ must: [bool({ should: [t('a'), t('b')] }), t('c')] }) },
  { q: '((a))', tree: t('a') },
  { q: 'a AND (b OR (c AND -d))', tree: bool({ must: [t('a'), bool({ should: [t('b'), bool({ must: [t('c')], mustNot: [t('d')] })] })] }) },
  { q: 'a + b', tree: bool({ should: [t('a'), t('+'), t('b')] }), why: 'an operator followed by whitespace is a bare term' },
  // phrases
  { q: '"payment failed"', tree: phrase(null, 'payment failed') },
  { q: 'message:"payment failed" AND service:api', tree: bool({ must: [phrase('message', 'payment failed'), term('service', 'api')] }) },
  { q: '"a b"~2', tree: phrase(null, 'a b', 2) },
  { q: '"a b"~2.7', tree: phrase(null, 'a b', 2) },
  { q: '"a b"~', tree: phrase(null, 'a b', 0) },
  { q: '"a b"~x', tree: phrase(null, 'a b', 0), why: 'a slop that is not a number is ignored' },
  { q: '"a b"', opts: { phraseSlop: 3 }, tree: phrase(null, 'a b', 3) },
  { q: '"a b"~1', opts: { phraseSlop: 3 }, tree: phrase(null, 'a b', 1) },
  { q: '"say \\"hi\\""', tree: phrase(null, 'say "hi"') },
  { q: 'f:"a\\\\b"', tree: phrase('f', 'a\\b') },
  { q: '"AND (x)"', tree: phrase(null, 'AND (x)') },
  { q: '""', tree: matchNone, why: 'an empty phrase drops out' },
  { q: 'a ""', tree: t('a'), why: 'the only clause left is returned as Lucene does' },
  // wildcards, prefix, regexp
  { q: 'mach*', tree: prefix(null, 'mach') },
  { q: 'f:mach*', tree: prefix('f', 'mach') },
  { q: 'qu?ck bro*n', tree: bool({ should: [wildcard(null, 'qu?ck'), wildcard(null, 'bro*n')] }) },
  { q: '*ing', tree: wildcard(null, '*ing') },
  { q: '?x', tree: wildcard(null, '?x') },
  { q: 'a*b*', tree: wildcard(null, 'a*b*') },
  { q: 'a\\*b*', tree: prefix(null, 'a*b') },
  { q: 'a\\*b?', tree: wildcard(null, 'a\\*b?'), why: 'wildcard patterns keep their escapes' },
  { q: 'a*', opts: { analyzeWildcard: true }, tree: { kind: 'prefix', field: null, text: 'a', analyzeWildcard: true } },
  { q: 'a*b', opts: { analyzeWildcard: false }, tree: { kind: 'wildcard', field: null, pattern: 'a*b', analyzeWildcard: false } },
  { q: '/joh?n(ath[oa]n)/', tree: { kind: 'regexp', field: null, pattern: 'joh?n(ath[oa]n)' } },
  { q: 'path:/\\/var\\/log.*/', tree: { kind: 'regexp', field: 'path', pattern: '\\/var\\/log.*' } },
  { q: 'a/b/', tree: bool({ should: [t('a'), { kind: 'regexp', field: null, pattern: 'b' }] }), why: 'a regexp can start right after a word' },
  // match all and exists
  { q: '*', tree: matchAll },
  { q: '*:*', tree: matchAll },
  { q: 'f:*', tree: exists('f') },
  { q: 'host.*:*', tree: exists('host.*') },
  { q: '_exists_:host', tree: exists('host') },
  { q: '_exists_:"host name"', tree: exists('host name') },
  { q: '_exists_:host.*', tree: exists('host.*') },
  { q: 'NOT _exists_:user', tree: bool({ mustNot: [exists('user')] }) },
  { q: '_exists_:a^2', tree: bool({ must: [exists('a')], boost: 2 }) },
  // fuzzy
  { q: 'roam~', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 'AUTO' } },
  { q: 'roam~1', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 1 } },
  { q: 'roam~0', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 0 } },
  { q: 'roam~1.5', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 1 } },
  { q: 'roam~AUTO', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 'AUTO' } },
  { q: 'roam~auto', tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 'AUTO' } },
  { q: 'name:roam~2', tree: { kind: 'fuzzy', field: 'name', text: 'roam', fuzziness: 2 } },
  { q: 'roam~1', opts: { fuzzyMaxExpansions: 10 }, tree: { kind: 'fuzzy', field: null, text: 'roam', fuzziness: 1, maxExpansions: 10 } },
  { q: 'roam*~1', tree: prefix(null, 'roam'), why: 'fuzziness on a prefix is ignored, as Lucene does' },
  // boosts
  { q: 'a^2', tree: term(null, 'a', 2) },
  { q: 'a^2.5', tree: term(null, 'a', 2.5) },
  { q: 'a ^2', tree: term(null, 'a', 2) },
  { q: 'a^2~1', tree: { kind: 'fuzzy', field: null, text: 'a', fuzziness: 1, boost: 2 } },
  { q: 'a~1^2', tree: { kind: 'fuzzy', field: null, text: 'a', fuzziness: 1, boost: 2 } },
  { q: '"a b"~2^3', tree: { kind: 'phrase', field: null, text: 'a b', slop: 2, boost: 3 } },
  { q: '"a b"^3~2', tree: { kind: 'phrase', field: null, text: 'a b', slop: 2, boost: 3 } },
  { q: '(a OR b)^2', tree: bool({ should: [t('a'), t('b')], boost: 2 }) },
  { q: '(a^3)^2', tree: term(null, 'a', 6) },
  { q: 'title:(a OR b)^4', tree: bool({ should: [term('title', 'a'), term('title', 'b')], boost: 4 }) },
  { q: 'f:[1 TO 2]^2', tree: { kind: 'range', field: 'f', gte: '1', lte: '2', boost: 2 } },
  { q: '*^2', tree: { kind: 'match_all', boost: 2 } },
  // ranges
  { q: 'n:[1 TO 5]', tree: { kind: 'range', field: 'n', gte: '1', lte: '5' } },
  { q: 'n:{1 TO 5}', tree: { kind: 'range', field: 'n', gt: '1', lt: '5' } },
  { q: 'n:[1 TO 5}', tree: { kind: 'range', field: 'n', gte: '1', lt: '5' } },
  { q: 'n:{1 TO 5]', tree: { kind: 'range', field: 'n', gt: '1', lte: '5' } },
  { q: 'n:[10 TO *]', tree: { kind: 'range', field: 'n', gte: '10' } },
  { q: 'n:{* TO 10}', tree: { kind: 'range', field: 'n', lt: '10' } },
  { q: 'n:[* TO *]', tree: { kind: 'range', field: 'n' } },
  { q: '@timestamp:[now-15m/m TO now]', tree: { kind: 'range', field: '@timestamp', gte: 'now-15m/m', lte: 'now' } },
  { q: 'd:[2024-01-01T00:00:00Z TO 2024-01-02||+1d]', tree: { kind: 'range', field: 'd', gte: '2024-01-01T00:00:00Z', lte: '2024-01-02||+1d' } },
  { q: 'k:["a b" TO "c \\"d"]', tree: { kind: 'range', field: 'k', gte: 'a b', lte: 'c "d' } },
  { q: 'k:[  a   TO   b  ]', tree: { kind: 'range', field: 'k', gte: 'a', lte: 'b' } },
  { q: 'k:[TO TO b]', tree: { kind: 'range', field: 'k', gte: 'TO', lte: 'b' } },
  { q: '[a TO b] AND c', tree: bool({ must: [{ kind: 'range', field: null, gte: 'a', lte: 'b' }, t('c')] }) },
  // Elasticsearch's one-sided ranges
  { q: 'age:>10', tree: { kind: 'range', field: 'age', gt: '10' } },
  { q: 'age:>=10', tree: { kind: 'range', field: 'age', gte: '10' } },
  { q: 'age:<10', tree: { kind: 'range', field: 'age', lt: '10' } },
  { q: 'age:<=10', tree: { kind: 'range', field: 'age', lte: '10' } },
  { q: 'age:(>=10 AND <20)', tree: bool({ must: [{ kind: 'range', field: 'age', gte: '10' }, { kind: 'range', field: 'age', lt: '20' }] }) },
  { q: 'date:>=2024-01-01', tree: { kind: 'range', field: 'date', gte: '2024-01-01' } },
  { q: '>5', tree: { kind: 'range', field: null, gt: '5' } },
  { q: 'age:"<10"', tree: phrase('age', '<10'), why: 'quoted text is never a range' },
  { q: 'op:>', tree: term('op', '>') },
  // escaping of every special character
  { q: '\\+\\-\\=\\&\\&\\|\\|\\>\\<\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/', tree: t('+-=&&||><!(){}[]^"~*?:\\/') },
  { q: 'path:\\/var\\/log\\/syslog', tree: term('path', '/var/log/syslog') },
  { q: 'url:http\\:\\/\\/x', tree: term('url', 'http://x') },
  { q: 'url:http\\://x', tree: bool({ should: [term('url', 'http:'), { kind: 'regexp', field: null, pattern: '' }, t('x')] }), why: 'an unescaped // is an empty regexp' },
  { q: 'my\\ field:a\\ b', tree: term('my field', 'a b') },
  { q: '\\AND', tree: t('AND') },
  { q: 'x:\\u00e9t\\u00C9', tree: term('x', 'étÉ') },
  { q: 'x:\\-5', tree: term('x', '-5') },
];

test('query_string: every construct parses to the expected tree', () => {
  for (const c of cases) {
    assert.deepEqual(parseQueryString(c.q, c.opts), c.tree, `${JSON.stringify(c.q)}${c.why ? ` (${c.why})` : ''}`);
  }
});

interface ErrorCase {
  q: string;
  position: number;
  message: RegExp;
  opts?: QueryStringOptions;
}

const errors: ErrorCase[] = [
  { q: 'a AND', position: 5, message: /Encountered "<EOF>" at position 5\. Was expecting a term.* after "AND"/ },
  { q: 'a OR', position: 4, message: /after "OR"/ },
  { q: 'AND a', position: 0, message: /Encountered "AND" at position 0/ },
  { q: 'a AND OR b', position: 6, message: /Encountered "OR" at position 6/ },
  { q: 'NOT', position: 3, message: /"<EOF>".* after "NOT"/ },
  { q: 'NOT NOT a', position: 4, message: /Encountered "NOT" at position 4/ },
  { q: '--a', position: 1, message: /Encountered "-" at position 1/ },
  { q: 'a -', position: 3, message: /"<EOF>" at position 3/ },
  { q: '(a', position: 2, message: /Missing "\)" to close the "\(" at position 0/ },
  { q: '((a) OR b', position: 9, message: /Missing "\)" to close the "\(" at position 0/ },
  { q: 'a)', position: 1, message: /Unbalanced parentheses: no "\(" for this "\)"/ },
  { q: '(a))', position: 3, message: /Unbalanced parentheses/ },
  { q: '()', position: 1, message: /Encountered "\)" at position 1\. Was expecting a term/ },
  { q: '(a ^2', position: 5, message: /Missing "\)"/ },
  { q: '"abc', position: 0, message: /Unterminated phrase: the '"' at position 0/ },
  { q: 'a:"b\\"', position: 2, message: /Unterminated phrase/ },
  { q: 'a:b:c', position: 3, message: /Encountered ":" at position 3/ },
  { q: 'a:', position: 2, message: /"<EOF>" at position 2/ },
  { q: ':a', position: 0, message: /Encountered ":" at position 0/ },
  { q: 'a^', position: 2, message: /Expected a number after "\^" at position 2/ },
  { q: 'a^x', position: 2, message: /Expected a number after "\^"/ },
  { q: 'a^ 2', position: 2, message: /Expected a number after "\^"/ },
  { q: '^2', position: 0, message: /Encountered "\^2" at position 0/ },
  { q: 'a~3', position: 1, message: /Valid edit distances are \[0, 1, 2\] but was \[3\]/ },
  { q: 'a~x', position: 1, message: /Invalid fuzziness \[x\]/ },
  { q: '~a', position: 0, message: /Encountered "~a" at position 0/ },
  { q: 'f:[a TO]', position: 7, message: /Encountered "\]" at position 7\. Was expecting an upper bound after "TO"/ },
  { q: 'f:[TO b]', position: 6, message: /Was expecting "TO"/ },
  { q: 'f:[a b]', position: 5, message: /Encountered "b" at position 5\. Was expecting "TO"/ },
  { q: 'f:[a TO b', position: 9, message: /Was expecting "\]" or "\}" to close the range starting at position 2/ },
  { q: 'f:[a TO b c]', position: 10, message: /Encountered "c" at position 10/ },
  { q: 'f:[]', position: 3, message: /Was expecting a lower bound/ },
  { q: 'f:[', position: 3, message: /"<EOF>" at position 3/ },
  { q: 'a]', position: 1, message: /Encountered "\]" at position 1 without a range to close/ },
  { q: 'a}', position: 1, message: /without a range to close/ },
  { q: 'path:/var/log/x', position: 13, message: /Unterminated regular expression: the "\/" at position 13/ },
  { q: 'a AND /x', position: 6, message: /escape a literal slash as \\\// },
  { q: 'a/b', position: 1, message: /Unterminated regular expression/ },
  { q: 'a\\', position: 1, message: /Term can not end with escape character/ },
  { q: 'f:[a\\ TO b]', position: 4, message: /Term can not end with escape character/ },
  { q: 'x\\u12', position: 1, message: /Truncated unicode escape sequence/ },
  { q: 'x\\u12zz', position: 5, message: /Non-hex character in Unicode escape sequence: z/ },
  { q: '_exists_:""', position: 9, message: /_exists_ needs a field name/ },
  { q: '*ing', opts: { allowLeadingWildcard: false }, position: 0, message: /'\*' or '\?' not allowed as first character in WildcardQuery/ },
  { q: 'a f:?x', opts: { allowLeadingWildcard: false }, position: 4, message: /not allowed as first character/ },
  { q: '('.repeat(MAX_QUERY_DEPTH + 1), position: MAX_QUERY_DEPTH, message: /nested too deeply/ },
];

test('query_string: syntax errors name the position and what was expected', () => {
  for (const e of errors) {
    assertSyntaxError(() => parseQueryString(e.q, e.opts), 'lucene', e.position, e.message, JSON.stringify(e.q));
    assertSyntaxError(() => parseQueryString(e.q, e.opts), 'lucene', e.position, /^Cannot parse '/, JSON.stringify(e.q));
  }
});

test('query_string: nesting up to the cap parses, pathological input fails fast', () => {
  const deep = `${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`;
  assert.deepEqual(parseQueryString(deep), t('a'));
  const started = performance.now();
  assertSyntaxError(() => parseQueryString('('.repeat(200_000)), 'lucene', MAX_QUERY_DEPTH, /nested too deeply/, 'deep');
  const long = Array.from({ length: 20_000 }, (_, i) => `f${i}:v${i}`).join(' OR ');
  const tree = parseQueryString(long) as { should: unknown[] };
  assert.equal(tree.should.length, 20_000);
  assert.ok(performance.now() - started < 2000, 'large inputs parse in linear time');
});

test('query_string: fuzz — random queries give a tree or a QuerySyntaxError, quickly', () => {
  const pieces = [
    ...' \t+-=&&||><!(){}[]^"~*?:\\/',
    'a',
    'foo',
    'AND',
    'OR',
    'NOT',
    'TO',
    ' TO ',
    'f:',
    '_exists_:',
    '*:',
    '\\u00e9',
    '1',
    '2.5',
    'now-1d/d',
    '"x y"',
    '[1 TO 2]',
    '{a TO *]',
    '/re/',
    '~2',
    '^3',
    '>=',
  ];
  const result = fuzz('query_string', (q) => parseQueryString(q), pieces, { language: 'lucene' });
  assert.ok(result.trees > 0 && result.errors > 0, 'the fuzzer reaches both outcomes');
  fuzz('query_string AND', (q) => parseQueryString(q, { defaultOperator: 'AND', allowLeadingWildcard: false }), pieces, { durationMs: 300, language: 'lucene' });
});
