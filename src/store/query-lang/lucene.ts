/**
 * Elasticsearch's `query_string` syntax (Lucene's classic query parser plus the
 * additions Elasticsearch makes in its QueryStringQueryParser), parsed into a QueryNode.
 * Grammar (tokens in lucene-lexer.ts):
 *
 *   Query   := ( MultiTerm | Modifier? Clause ) ( MultiTerm | Conj? Modifier? Clause )*
 *   Conj    := AND | OR                     Modifier := + | - | NOT
 *   Clause  := [ (TERM | *) ":" ] ( Term | "(" Query ")" [^N] )
 *   Term    := (TERM | * | PREFIXTERM | WILDTERM | /regex/ | bare op) [^N] [~N] (either order)
 *            | RANGE [^N]
 *            | "phrase" [~N] [^N] (either order)
 *   MultiTerm := two or more plain TERMs in a row, none followed by : * ~ ^ AND OR.
 *                Like Elasticsearch (Lucene's split_on_whitespace=false), `new york city`
 *                is one term node with text "new york city", analysed as a whole.
 *
 * How clauses of one level combine is Lucene's, not operator precedence: every clause
 * at one level lands in ONE bool, and
 *   - `AND` before a clause makes it and the clause before it required (unless that one
 *     is prohibited);
 *   - with default_operator OR, a clause is required only with `+` or after `AND`,
 *     prohibited with `-`/`NOT`/`!`, optional (should) otherwise;
 *   - with default_operator AND, a clause is required unless it comes after `OR` (then
 *     it and the clause before it become optional) or is prohibited.
 * So `a AND b OR c` is `+a +b c` (c only scores) with OR, and `+a b c` with AND;
 * `a OR b AND c` is `a +b +c` with OR. Parentheses make a nested bool.
 *
 * Elasticsearch's additions: `_exists_:f` is an exists query; an unquoted term that
 * starts with `>`, `>=`, `<`, `<=` is a half-open range (`age:>=10`); `f:*` is exists(f)
 * and `*` / `*:*` match all documents; `*` as a range bound is an open end; an empty or
 * all-whitespace query matches no documents. Over Lucene we also accept unescaped
 * wildcards in field names (`host.*:x`; Elasticsearch needs `host.\*:x`).
 */
import type { QueryNode } from './ast.ts';
import { type BoolNode, bool, MAX_QUERY_DEPTH, withBoost } from './common.ts';
import { describeToken, LuceneLexer, luceneError, type Token, type TokenKind, unescapeLucene } from './lucene-lexer.ts';

export interface QueryStringOptions {
  /** How clauses without AND/OR/+/- combine (default OR). */
  defaultOperator?: 'OR' | 'AND' | 'or' | 'and';
  /** Allow `*` or `?` as the first character of a wildcard term (default true, as Elasticsearch). */
  allowLeadingWildcard?: boolean;
  /** Copied onto prefix and wildcard nodes (`analyzeWildcard`): the engine analyses their text. */
  analyzeWildcard?: boolean;
  /** Copied onto fuzzy nodes (`maxExpansions`). */
  fuzzyMaxExpansions?: number;
  /** Slop of phrases written without `~N` (default 0). */
  phraseSlop?: number;
}

const CONJ_NONE = 0;
const CONJ_AND = 1;
const CONJ_OR = 2;
const MOD_NONE = 0;
const MOD_REQ = 1;
const MOD_NOT = 2;

type Occur = 'must' | 'should' | 'mustNot';
interface Clause {
  node: QueryNode;
  occur: Occur;
}

/** Tokens after which a TERM is not part of a multi-term run. */
const NOT_AFTER_MULTI_TERM = new Set<TokenKind>(['COLON', 'STAR', 'FUZZY_SLOP', 'BOOST', 'AND', 'OR']);

/** Tokens a clause (with its conjunction and modifier) can start with. */
const CLAUSE_START = new Set<TokenKind>([
  'AND',
  'OR',
  'NOT',
  'PLUS',
  'MINUS',
  'BAREOPER',
  'LPAREN',
  'STAR',
  'QUOTED',
  'TERM',
  'PREFIXTERM',
  'WILDTERM',
  'REGEXPTERM',
  'RANGE',
]);

const TERM_TOKENS = new Set<TokenKind>(['TERM', 'STAR', 'PREFIXTERM', 'WILDTERM', 'REGEXPTERM', 'BAREOPER']);

/** Java's String.trim(): every character up to U+0020 counts as blank. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

export function parseQueryString(text: string, options: QueryStringOptions = {}): QueryNode {
  if (isBlank(text)) return { kind: 'match_none' };
  return new LuceneParser(text, options).parse();
}

class LuceneParser {
  readonly #text: string;
  readonly #lexer: LuceneLexer;
  readonly #buffer: Token[] = [];
  readonly #andDefault: boolean;
  readonly #allowLeadingWildcard: boolean;
  readonly #analyzeWildcard: boolean | undefined;
  readonly #maxExpansions: number | undefined;
  readonly #phraseSlop: number;
  /** The last token consumed, for "after ..." in error messages. */
  #previous: Token | undefined;

  constructor(text: string, options: QueryStringOptions) {
    this.#text = text;
    this.#lexer = new LuceneLexer(text);
    this.#andDefault = String(options.defaultOperator ?? 'OR').toUpperCase() === 'AND';
    this.#allowLeadingWildcard = options.allowLeadingWildcard ?? true;
    this.#analyzeWildcard = options.analyzeWildcard;
    this.#maxExpansions = options.fuzzyMaxExpansions;
    this.#phraseSlop = options.phraseSlop ?? 0;
  }

  parse(): QueryNode {
    const node = this.#query(null, 0);
    const next = this.#peek(0);
    if (next.kind === 'RPAREN') this.#fail(next, 'Unbalanced parentheses: no "(" for this ")"');
    if (next.kind !== 'EOF') this.#fail(next, `Was expecting an operator, a clause or the end of the query${this.#after()}`);
    return node ?? { kind: 'match_none' };
  }

  #peek(k: number): Token {
    while (this.#buffer.length <= k) this.#buffer.push(this.#lexer.next());
    return this.#buffer[k]!;
  }

  #next(): Token {
    const token = this.#peek(0);
    this.#buffer.shift();
    this.#previous = token;
    return token;
  }

  #fail(token: Token, expectation: string): never {
    throw luceneError(this.#text, `Encountered ${describeToken(token)} at position ${token.start}. ${expectation}`, token.start);
  }

  #after(): string {
    return this.#previous ? ` after ${describeToken(this.#previous)}` : '';
  }

  #multiTermAhead(): boolean {
    return this.#peek(0).kind === 'TERM' && this.#peek(1).kind === 'TERM' && !NOT_AFTER_MULTI_TERM.has(this.#peek(2).kind);
  }

  /** Returns the node of the query, or null when every clause vanished (`""`). */
  #query(field: string | null, depth: number): QueryNode | null {
    const clauses: Clause[] = [];
    let first: QueryNode | null = null;
    if (this.#multiTermAhead()) {
      first = this.#multiTerm(field, clauses);
    } else {
      const mods = this.#modifiers();
      const node = this.#clause(field, depth);
      this.#addClause(clauses, CONJ_NONE, mods, node);
      if (mods === MOD_NONE) first = node;
    }
    for (;;) {
      if (this.#multiTermAhead()) {
        this.#multiTerm(field, clauses);
        continue;
      }
      if (!CLAUSE_START.has(this.#peek(0).kind)) break;
      const conj = this.#conjunction();
      const mods = this.#modifiers();
      const node = this.#clause(field, depth);
      this.#addClause(clauses, conj, mods, node);
    }
    if (clauses.length === 1 && first !== null) return first;
    if (clauses.length === 0) return null;
    const result: BoolNode = bool();
    for (const clause of clauses) result[clause.occur].push(clause.node);
    return result;
  }

  #conjunction(): number {
    const kind = this.#peek(0).kind;
    if (kind === 'AND') {
      this.#next();
      return CONJ_AND;
    }
    if (kind === 'OR') {
      this.#next();
      return CONJ_OR;
    }
    return CONJ_NONE;
  }

  #modifiers(): number {
    const kind = this.#peek(0).kind;
    if (kind === 'PLUS') {
      this.#next();
      return MOD_REQ;
    }
    if (kind === 'MINUS' || kind === 'NOT') {
      this.#next();
      return MOD_NOT;
    }
    return MOD_NONE;
  }

  /** Lucene's addClause: how AND/OR and +/- decide the occurrence of this and the previous clause. */
  #addClause(clauses: Clause[], conj: number, mods: number, node: QueryNode | null): void {
    const previous = clauses[clauses.length - 1];
    if (previous && conj === CONJ_AND && previous.occur !== 'mustNot') previous.occur = 'must';
    if (previous && this.#andDefault && conj === CONJ_OR && previous.occur !== 'mustNot') previous.occur = 'should';
    if (node === null) return;
    const prohibited = mods === MOD_NOT;
    let required: boolean;
    if (this.#andDefault) required = !prohibited && conj !== CONJ_OR;
    else required = mods === MOD_REQ || (conj === CONJ_AND && !prohibited);
    clauses.push({ node, occur: prohibited ? 'mustNot' : required ? 'must' : 'should' });
  }

  #multiTerm(field: string | null, clauses: Clause[]): QueryNode | null {
    const first = this.#next();
    let text = unescapeLucene(this.#text, first.image, first.start);
    while (this.#peek(0).kind === 'TERM' && !NOT_AFTER_MULTI_TERM.has(this.#peek(1).kind)) {
      const t = this.#next();
      text += ` ${unescapeLucene(this.#text, t.image, t.start)}`;
    }
    const node = this.#fieldQuery(field, text, first.start);
    if (node !== null) clauses.push({ node, occur: this.#andDefault ? 'must' : 'should' });
    return node;
  }

  #clause(field: string | null, depth: number): QueryNode | null {
    const t = this.#peek(0);
    if (this.#peek(1).kind === 'COLON') {
      if (t.kind === 'TERM' || t.kind === 'PREFIXTERM' || t.kind === 'WILDTERM') {
        field = unescapeLucene(this.#text, t.image, t.start);
        this.#next();
        this.#next();
      } else if (t.kind === 'STAR') {
        field = '*';
        this.#next();
        this.#next();
      }
    }
    const open = this.#peek(0);
    if (open.kind !== 'LPAREN') return this.#term(field);
    if (depth + 1 > MAX_QUERY_DEPTH) {
      throw luceneError(this.#text, `Query is nested too deeply: more than ${MAX_QUERY_DEPTH} levels of parentheses at position ${open.start}`, open.start);
    }
    this.#next();
    let node = this.#query(field, depth + 1);
    const close = this.#peek(0);
    if (close.kind !== 'RPAREN') {
      if (close.kind === 'EOF') this.#fail(close, `Missing ")" to close the "(" at position ${open.start}`);
      this.#fail(close, `Was expecting ")" or a clause${this.#after()}`);
    }
    this.#next();
    if (this.#peek(0).kind === 'BOOST') {
      const boost = this.#next().boost!;
      if (node !== null) node = withBoost(node, boost);
    }
    return node;
  }

  #term(field: string | null): QueryNode | null {
    const t = this.#peek(0);
    let node: QueryNode | null;
    let boost: number | undefined;
    if (TERM_TOKENS.has(t.kind) || t.kind === 'QUOTED') {
      this.#next();
      let slop: Token | undefined;
      if (this.#peek(0).kind === 'BOOST') {
        boost = this.#next().boost;
        if (this.#peek(0).kind === 'FUZZY_SLOP') slop = this.#next();
      } else if (this.#peek(0).kind === 'FUZZY_SLOP') {
        slop = this.#next();
        if (this.#peek(0).kind === 'BOOST') boost = this.#next().boost;
      }
      node = t.kind === 'QUOTED' ? this.#quoted(field, t, slop) : this.#bareToken(field, t, slop);
    } else if (t.kind === 'RANGE') {
      this.#next();
      if (this.#peek(0).kind === 'BOOST') boost = this.#next().boost;
      node = this.#range(field, t);
    } else {
      const what = 'Was expecting a term, a phrase, a range, a regular expression, "(" or a field name';
      this.#fail(t, `${what}${this.#after()}`);
    }
    return node !== null && boost !== undefined ? withBoost(node, boost) : node;
  }

  #bareToken(field: string | null, t: Token, slop: Token | undefined): QueryNode | null {
    switch (t.kind) {
      case 'STAR':
      case 'WILDTERM':
        return this.#wildcard(field, t);
      case 'PREFIXTERM': {
        const text = unescapeLucene(this.#text, t.image.slice(0, -1), t.start);
        if (field === '_exists_') return { kind: 'exists', field: `${text}*` };
        const node: QueryNode = { kind: 'prefix', field, text };
        if (this.#analyzeWildcard !== undefined) node.analyzeWildcard = this.#analyzeWildcard;
        return node;
      }
      case 'REGEXPTERM':
        return { kind: 'regexp', field, pattern: t.image.slice(1, -1) };
      default: {
        const text = t.kind === 'BAREOPER' ? t.image : unescapeLucene(this.#text, t.image, t.start);
        if (slop !== undefined) return this.#fuzzy(field, text, slop);
        return this.#fieldQuery(field, text, t.start);
      }
    }
  }

  #wildcard(field: string | null, t: Token): QueryNode {
    if (t.image === '*') {
      if (field === null || field === '*') return { kind: 'match_all' };
      return { kind: 'exists', field };
    }
    if (field === '_exists_') return { kind: 'exists', field: unescapeLucene(this.#text, t.image, t.start) };
    if (!this.#allowLeadingWildcard && (t.image[0] === '*' || t.image[0] === '?')) {
      throw luceneError(this.#text, `'*' or '?' not allowed as first character in WildcardQuery (position ${t.start}; allow_leading_wildcard is false)`, t.start);
    }
    const node: QueryNode = { kind: 'wildcard', field, pattern: t.image };
    if (this.#analyzeWildcard !== undefined) node.analyzeWildcard = this.#analyzeWildcard;
    return node;
  }

  #fuzzy(field: string | null, text: string, slop: Token): QueryNode {
    const spec = unescapeLucene(this.#text, slop.image.slice(1), slop.start + 1);
    let fuzziness: number | 'AUTO';
    if (spec === '' || /^auto$/i.test(spec)) fuzziness = 'AUTO';
    else if (/^\d+(\.\d+)?$/.test(spec)) {
      fuzziness = Math.floor(Number(spec));
      if (fuzziness > 2) throw luceneError(this.#text, `Valid edit distances are [0, 1, 2] but was [${fuzziness}] at position ${slop.start}`, slop.start);
    } else {
      throw luceneError(this.#text, `Invalid fuzziness [${spec}] at position ${slop.start}: use ~, ~0, ~1, ~2 or ~AUTO`, slop.start);
    }
    const node: QueryNode = { kind: 'fuzzy', field, text, fuzziness };
    if (this.#maxExpansions !== undefined) node.maxExpansions = this.#maxExpansions;
    return node;
  }

  #quoted(field: string | null, t: Token, slop: Token | undefined): QueryNode | null {
    const text = unescapeLucene(this.#text, t.image.slice(1, -1), t.start + 1);
    if (field === '_exists_') return this.#exists(text, t.start);
    if (text === '') return null;
    let phraseSlop = this.#phraseSlop;
    if (slop !== undefined) {
      // Lucene reads the slop as a float and ignores what does not parse.
      const spec = slop.image.slice(1);
      if (/^\d+(\.\d+)?$/.test(spec)) phraseSlop = Math.trunc(Number(spec));
    }
    return { kind: 'phrase', field, text, slop: phraseSlop };
  }

  /** Elasticsearch's getFieldQuery for unquoted text: `_exists_`, `>`/`<` ranges, else a term. */
  #fieldQuery(field: string | null, text: string, position: number): QueryNode | null {
    if (field === '_exists_') return this.#exists(text, position);
    if (text.length > 1 && (text[0] === '>' || text[0] === '<')) {
      const inclusive = text.length > 2 && text[1] === '=';
      const bound = text.slice(inclusive ? 2 : 1);
      const node: QueryNode = { kind: 'range', field };
      if (bound !== '*') {
        if (text[0] === '>') node[inclusive ? 'gte' : 'gt'] = bound;
        else node[inclusive ? 'lte' : 'lt'] = bound;
      }
      return node;
    }
    return { kind: 'term', field, text };
  }

  #exists(field: string, position: number): QueryNode {
    if (field === '') throw luceneError(this.#text, `_exists_ needs a field name (position ${position})`, position);
    return { kind: 'exists', field };
  }

  #range(field: string | null, t: Token): QueryNode {
    const { lower, upper, includeLower, includeUpper } = t.range!;
    const node: QueryNode = { kind: 'range', field };
    if (lower.text !== undefined) node[includeLower ? 'gte' : 'gt'] = lower.text;
    if (upper.text !== undefined) node[includeUpper ? 'lte' : 'lt'] = upper.text;
    return node;
  }
}
