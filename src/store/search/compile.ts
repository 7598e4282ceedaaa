/**
 * The query DSL (and the query-language trees of query-lang/) compiled to SQL for one
 * index: a condition (`w`) and a score expression (`s`) over `fields f` (every document
 * has one row there, see index-db.ts) optionally joined with `docs d` (when `usesDocs`).
 *
 * Text fields live in contentless FTS5 tables: a text clause is `f.doc IN (SELECT rowid
 * FROM fts_N WHERE fts_N MATCH :p)`, its score the FTS5 bm25() of the same expression for
 * the row, negated so that higher is better as in Elasticsearch. Filters and non-text
 * clauses score their boost (constant), as Lucene's constant-score rewrites do.
 *
 * Parameters are named (`:p1`, ...) so that a caller can use the condition without the
 * score expression and bind only what the SQL text mentions (see `bind`).
 */
import type { DatabaseSync } from 'node:sqlite';
import { EsError, parsingError } from '../errors.ts';
import type { IndexDb } from '../engine/index-db.ts';
import { KEYWORD_INLINE_MAX } from '../engine/index-db.ts';
import { FTS_SCHEMA } from '../engine/fts-store.ts';
import type { Leaf } from '../mapping/mapping.ts';
import { DATE_TYPES, FLOAT_TYPES, INTEGER_TYPES, KEYWORD_TYPES, TEXT_TYPES } from '../mapping/types.ts';
import { type QueryNode, QuerySyntaxError } from '../query-lang/ast.ts';
import { parseKql } from '../query-lang/kql.ts';
import { parseQueryString } from '../query-lang/lucene.ts';
import { parseSimpleQueryString } from '../query-lang/simple.ts';
import { parseDateValue, parseZone, UTC } from './aggs/dates.ts';

export type Param = string | number | null | Uint8Array;

export interface Clause {
  /** SQL condition. */
  w: string;
  /** SQL score expression (only meaningful where `w` holds). */
  s: string;
  /**
   * A full-text match that every row satisfying `w` satisfies (`w` holds its `IN`
   * sub-select as a top-level conjunct): a statement may start from that match (sqlFrom).
   */
  driver?: ScoredMatch;
  /**
   * Bounds every row satisfying `w` whose column holds one scalar value satisfies (from
   * `range` clauses that are top-level conjuncts): a statement that reads only scalar
   * values of that column may add them so that SQLite seeks its index (fast-aggs.ts).
   */
  bounds?: Bound[];
}

/** `<column> <op> <param>`, a bound on the scalar values of a column. */
export interface Bound {
  column: string;
  op: string;
  param: string;
}

/** A full-text clause whose score a query may read (see `SearchCompiler.scored`). */
export interface ScoredMatch {
  alias: string;
  table: string;
  param: string;
}

/** The condition of a full-text clause: the document is among the rowids of the match. */
function matchIn(m: ScoredMatch): string {
  return `f.doc IN (SELECT rowid FROM ${m.table} WHERE ${m.table} MATCH ${m.param})`;
}

const MAX_EXPANSIONS = 1024;
const BOOL_KEYS = new Set(['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost', '_name', 'adjust_pure_negative']);

export interface CompileOptions {
  now: number;
  /** Connection whose FTS vocabulary expands fuzzy/wildcard text terms. */
  db: DatabaseSync;
}

export class SearchCompiler {
  readonly index: IndexDb;
  readonly params: Record<string, Param> = {};
  /** Whether the SQL refers to `d.` (the docs table). */
  usesDocs = false;
  /**
   * Full-text clauses whose scores a query may read: each is a materialized CTE of
   * (doc, bm25 score) computed in one pass over the FTS5 matches and LEFT JOINed by doc
   * (see `sqlFrom`), instead of one FTS5 lookup per scored row.
   */
  readonly scored: ScoredMatch[] = [];
  /** Words each text field matched on (for highlighting). */
  readonly highlightTerms = new Map<string, Set<string>>();
  readonly #options: CompileOptions;
  #next = 0;
  #depth = 0;

  constructor(index: IndexDb, options: CompileOptions) {
    this.index = index;
    this.#options = options;
  }

  param(value: Param): string {
    const name = `p${++this.#next}`;
    this.params[name] = value;
    return `:${name}`;
  }

  /**
   * `WITH ...` and `FROM ...` for a statement whose text is `sql` (the select list and
   * condition): joins `docs d` and the score tables it mentions.
   */
  sqlFrom(sql: string): { with: string; from: string } {
    const used = this.scored.filter((m) => new RegExp(`\\b${m.alias}\\.`).test(sql));
    const ctes = used.map((m) => `${m.alias} AS MATERIALIZED (SELECT rowid AS doc, -bm25(${m.table}) AS s FROM ${m.table} WHERE ${m.table} MATCH ${m.param})`);
    const joins = used.map((m) => ` LEFT JOIN ${m.alias} ON ${m.alias}.doc = f.doc`).join('');
    return { with: ctes.length ? `WITH ${ctes.join(', ')} ` : '', from: `fields f${joins}${this.usesDocs ? ' JOIN docs d ON d.doc = f.doc' : ''}` };
  }

  /**
   * Like `sqlFrom`, for a statement whose condition implies the full-text match `driver`
   * (Clause.driver): the statement starts from that match, joined to `fields` by rowid,
   * as a plain sub-select that SQLite flattens, so bm25() runs only for the rows that
   * pass the rest of the condition — not for every match, as the materialized score
   * tables of `sqlFrom` do (bm25 costs more than the match itself). `rewrite` turns the
   * match's own `IN` sub-select, now true of every row, into 1 in the statement's text.
   */
  drivenFrom(sql: string, driver: ScoredMatch): { with: string; from: string; rewrite: (text: string) => string } {
    const others = this.scored.filter((m) => m !== driver && new RegExp(`\\b${m.alias}\\.`).test(sql));
    const ctes = others.map((m) => `${m.alias} AS MATERIALIZED (SELECT rowid AS doc, -bm25(${m.table}) AS s FROM ${m.table} WHERE ${m.table} MATCH ${m.param})`);
    const joins = others.map((m) => ` LEFT JOIN ${m.alias} ON ${m.alias}.doc = f.doc`).join('');
    const start = `(SELECT rowid AS doc, -bm25(${driver.table}) AS s FROM ${driver.table} WHERE ${driver.table} MATCH ${driver.param}) ${driver.alias} JOIN fields f ON f.doc = ${driver.alias}.doc`;
    const condition = matchIn(driver);
    return {
      with: ctes.length ? `WITH ${ctes.join(', ')} ` : '',
      from: `${start}${joins}${this.usesDocs ? ' JOIN docs d ON d.doc = f.doc' : ''}`,
      rewrite: (text) => text.replaceAll(condition, '1'),
    };
  }

  /** The named parameters `sql` mentions (node:sqlite rejects unknown names). */
  bind(sql: string): Record<string, Param> {
    const out: Record<string, Param> = {};
    for (const m of sql.matchAll(/:(p\d+)\b/g)) out[m[1]!] = this.params[m[1]!]!;
    return out;
  }

  compile(query: unknown): Clause {
    if (typeof query !== 'object' || query === null || Array.isArray(query)) throw parsingError('query malformed, must start with start_object');
    const entries = Object.entries(query);
    if (entries.length !== 1) {
      throw parsingError(entries.length === 0 ? 'query malformed, empty clause found' : `[${entries[0]![0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
    }
    if (++this.#depth > 60) throw parsingError('query is nested too deeply');
    try {
      const [type, body] = entries[0]!;
      return this.#compileType(type, body);
    } finally {
      this.#depth--;
    }
  }

  #compileType(type: string, body: unknown): Clause {
    switch (type) {
      case 'match_all':
        return { w: '1', s: num(boostOf(body)) };
      case 'match_none':
        return { w: '0', s: '0' };
      case 'term':
        return this.#fieldQuery(type, body, 'value', (field, o) => this.#termClause(field, o.value, boostOf(o), bool(o.case_insensitive)));
      case 'terms':
        return this.#terms(body);
      case 'ids': {
        const values = objectBody(type, body).values;
        if (!Array.isArray(values)) throw parsingError('[ids] query malformed, [values] must be an array');
        if (values.length === 0) return { w: '0', s: '0' };
        this.usesDocs = true;
        return { w: `d.id IN (${values.map((v) => this.param(String(v))).join(', ')})`, s: num(boostOf(body)) };
      }
      case 'exists': {
        const field = objectBody(type, body).field;
        if (typeof field !== 'string') throw parsingError('[exists] must be provided with a [field]');
        return this.#existsPattern(field, boostOf(body));
      }
      case 'range':
        return this.#fieldQuery(type, body, null, (field, o) => this.#range(field, o));
      case 'prefix':
        return this.#fieldQuery(type, body, 'value', (field, o) => this.#pattern('prefix', field, String(o.value), boostOf(o), bool(o.case_insensitive)));
      case 'wildcard':
        return this.#fieldQuery(type, body, 'value', (field, o) => this.#pattern('wildcard', field, String(o.value ?? o.wildcard), boostOf(o), bool(o.case_insensitive)));
      case 'regexp':
        return this.#fieldQuery(type, body, 'value', (field, o) => this.#pattern('regexp', field, String(o.value), boostOf(o), bool(o.case_insensitive)));
      case 'fuzzy':
        return this.#fieldQuery(type, body, 'value', (field, o) => this.#fuzzy(field, String(o.value), o.fuzziness, boostOf(o), Number(o.max_expansions ?? 50)));
      case 'match':
        return this.#fieldQuery(type, body, 'query', (field, o) => this.#match(field, o));
      case 'match_phrase':
        return this.#fieldQuery(type, body, 'query', (field, o) => this.#phrase(field, String(o.query ?? ''), Number(o.slop ?? 0), false, boostOf(o)));
      case 'match_phrase_prefix':
        return this.#fieldQuery(type, body, 'query', (field, o) => this.#phrase(field, String(o.query ?? ''), Number(o.slop ?? 0), true, boostOf(o)));
      case 'multi_match':
        return this.#multiMatch(objectBody(type, body));
      case 'bool':
        return this.#bool(objectBody(type, body));
      case 'constant_score': {
        const o = objectBody(type, body);
        if (o.filter === undefined) throw parsingError('[constant_score] requires a \'filter\' element');
        const filter = this.compile(o.filter);
        return carry({ w: filter.w, s: num(boostOf(o)) }, [filter]);
      }
      case 'boosting': {
        const o = objectBody(type, body);
        if (o.positive === undefined) throw parsingError('[boosting] query requires \'positive\' query');
        if (o.negative === undefined) throw parsingError('[boosting] query requires \'negative\' query');
        if (typeof o.negative_boost !== 'number') throw parsingError('[boosting] query requires \'negative_boost\' to be set to be a positive value');
        const positive = this.compile(o.positive);
        const negative = this.compile(o.negative);
        return { w: positive.w, s: `(${positive.s}) * (CASE WHEN ${negative.w} THEN ${num(o.negative_boost)} ELSE 1 END)` };
      }
      case 'dis_max': {
        const o = objectBody(type, body);
        if (!Array.isArray(o.queries)) throw parsingError('[dis_max] requires \'queries\' field with at least one clause');
        const parts = o.queries.map((q) => this.compile(q));
        if (parts.length === 0) return { w: '0', s: '0' };
        const tie = Number(o.tie_breaker ?? 0);
        const scores = parts.map((p) => `(CASE WHEN ${p.w} THEN ${p.s} ELSE 0 END)`);
        const max = scores.length === 1 ? scores[0]! : `max(${scores.join(', ')})`;
        return { w: `(${parts.map((p) => p.w).join(' OR ')})`, s: tie ? `(${max} + ${num(tie)} * ((${scores.join(' + ')}) - ${max}))` : max };
      }
      case 'query_string':
        return this.#queryString(objectBody(type, body), 'lucene');
      case 'simple_query_string':
        return this.#queryString(objectBody(type, body), 'simple');
      case 'kql':
        return this.#queryString(objectBody(type, body), 'kql');
      default:
        if (UNSUPPORTED.has(type)) throw new EsError(400, 'illegal_argument_exception', `query [${type}] is not supported by this store`);
        throw new EsError(400, 'parsing_exception', `unknown query [${type}]`, { line: 1, col: 1 }, { type: 'named_object_not_found_exception', reason: `[1:1] unknown field [${type}]` });
    }
  }

  // ---- helpers ------------------------------------------------------------------------

  #fieldQuery(type: string, body: unknown, shortKey: string | null, build: (field: string, options: Record<string, unknown>) => Clause): Clause {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw parsingError(`[${type}] query malformed, no start_object after query name`);
    const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
    if (entries.length === 0) throw parsingError(`[${type}] query malformed, no field specified`);
    if (entries.length !== 1) throw parsingError(`[${type}] query doesn't support multiple fields, found [${entries[0]![0]}] and [${entries[1]![0]}]`);
    const [field, value] = entries[0]!;
    let options: Record<string, unknown>;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) options = value as Record<string, unknown>;
    else if (shortKey === null) throw parsingError(`[${type}] query malformed, no start_object after query name`);
    else options = { [shortKey]: value };
    if (shortKey && options[shortKey] === undefined && !(type === 'wildcard' && options.wildcard !== undefined)) {
      throw parsingError(`[${type}] query malformed, no ${shortKey === 'query' ? 'query' : 'value'} specified`);
    }
    if (shortKey && typeof options[shortKey] === 'object' && options[shortKey] !== null) {
      throw parsingError(`[${type}] unknown token [START_OBJECT] after [${shortKey}]`);
    }
    return build(field, options);
  }

  leaf(field: string): Leaf | undefined {
    return this.index.mapping.leaf(field);
  }

  column(field: string): string | null {
    const storage = this.index.committedStorage.get(field);
    return storage?.kind === 'column' ? `f.${storage.column}` : null;
  }

  fts(field: string): { table: string; column: string } | null {
    const storage = this.index.committedStorage.get(field);
    return storage?.kind === 'text' ? { table: storage.table, column: storage.column } : null;
  }

  /** Mapped leaf fields whose name matches a pattern (`*`, `host.*`). */
  expandFields(pattern: string): string[] {
    if (!pattern.includes('*')) return [pattern];
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
    return [...this.index.mapping.leaves.keys()].filter((f) => regex.test(f));
  }

  #remember(field: string, words: Iterable<string>): void {
    const set = this.highlightTerms.get(field) ?? new Set();
    for (const w of words) set.add(w);
    this.highlightTerms.set(field, set);
  }

  #ftsClause(_field: string, fts: { table: string; column: string }, expression: string, boost: number): Clause {
    const full = `{${fts.column}} : (${expression})`;
    const p = this.param(full);
    const alias = `m${this.scored.length + 1}`;
    const match: ScoredMatch = { alias, table: fts.table, param: p };
    this.scored.push(match);
    return { w: matchIn(match), s: `(coalesce(${alias}.s, 0) * ${num(boost)})`, driver: match };
  }

  /** Tokens joined by an operator, on a text field. */
  #textTokens(field: string, fts: { table: string; column: string }, tokens: string[], operator: 'AND' | 'OR', boost: number): Clause {
    this.#remember(field, tokens);
    return this.#ftsClause(field, fts, tokens.map(quote).join(` ${operator} `), boost);
  }

  // ---- term-level queries -------------------------------------------------------------

  #termClause(field: string, value: unknown, boost: number, caseInsensitive = false): Clause {
    if (field === '_id') {
      this.usesDocs = true;
      return { w: `d.id = ${this.param(String(value))}`, s: num(boost) };
    }
    if (field === '_index') return { w: String(value) === this.index.name ? '1' : '0', s: num(boost) };
    const leaf = this.leaf(field);
    if (!leaf) return NONE;
    const fts = this.fts(field);
    if (fts) {
      const text = String(value);
      const tokens = tokenize(text);
      if (tokens.length !== 1 || (!caseInsensitive && tokens[0] !== text)) return NONE;
      return this.#textTokens(field, fts, tokens, 'AND', boost);
    }
    const column = this.column(field);
    if (!column) return NONE;
    if (caseInsensitive && typeof value === 'string') {
      const p = this.param(value.toLowerCase());
      return { w: `(typeof(${column}) = 'text' AND lower(${column}) = ${p})`, s: num(boost) };
    }
    const encoded = this.encode(leaf, value);
    if (typeof encoded === 'string' && KEYWORD_TYPES.has(leaf.type)) {
      // a value the column never held matches nothing: no pass over the rows
      const known = this.index.knownValues(column.slice(2));
      if (known && !known.has(encoded)) return NONE;
    }
    return { w: this.#equals(leaf, field, column, encoded), s: num(boost) };
  }

  #equals(leaf: Leaf, field: string, column: string, encoded: Param): string {
    const p = this.param(encoded);
    const inArray = `(${column} >= x'' AND length(${column}) > 0 AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${p}))`;
    if (typeof encoded === 'string' && encoded.length > KEYWORD_INLINE_MAX) {
      const sourcePath = leaf.multiOf ?? field;
      return `(${inArray} OR (${column} = x'' AND source_has(f.doc, ${this.param(sourcePath)}, ${this.param(JSON.stringify(encoded))})))`;
    }
    return `(${column} = ${p} OR ${inArray})`;
  }

  /** A query value as the column stores it; a bad number is Elasticsearch's query_shard_exception. */
  encode(leaf: Leaf, value: unknown): Param {
    if (typeof value === 'object' && value !== null) throw parsingError(`[term] query does not support [${Object.keys(value)[0]}]`);
    if (leaf.type in INTEGER_TYPES || FLOAT_TYPES.has(leaf.type)) {
      const n = typeof value === 'string' && value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(n)) throw this.shardError(`failed to create query: For input string: "${String(value)}"`, 'number_format_exception', `For input string: "${String(value)}"`);
      if (leaf.type in INTEGER_TYPES && !Number.isInteger(n)) return n;
      return n;
    }
    if (DATE_TYPES.has(leaf.type)) return this.date(leaf, value, undefined, undefined, false);
    if (leaf.type === 'boolean') {
      if (value === true || value === 'true') return 1;
      if (value === false || value === 'false' || value === '') return 0;
      throw this.shardError(`failed to create query: Can't parse boolean value [${String(value)}], expected [true] or [false]`, 'illegal_argument_exception', `Can't parse boolean value [${String(value)}], expected [true] or [false]`);
    }
    return String(value);
  }

  shardError(reason: string, causeType: string, cause: string): EsError {
    return new EsError(400, 'query_shard_exception', reason, { index_uuid: this.index.uuid, index: this.index.name }, { type: causeType, reason: cause });
  }

  date(leaf: Leaf, value: unknown, format: string | undefined, timeZone: string | undefined, roundUp: boolean): number {
    const zone = timeZone ? parseZone(timeZone) : UTC;
    if (!zone) throw this.shardError(`failed to create query: Unknown time-zone ID: ${timeZone}`, 'illegal_argument_exception', `Unknown time-zone ID: ${timeZone}`);
    const fmt = format ?? (leaf.def.format as string | undefined);
    const parsed = parseDateValue(value, this.#options.now, fmt, zone, roundUp);
    if (parsed === null) {
      const reason = `failed to parse date field [${String(value)}] with format [${fmt ?? 'strict_date_optional_time||epoch_millis'}]`;
      throw new EsError(400, 'parse_exception', reason, {}, { type: 'date_time_parse_exception', reason: `Text '${String(value)}' could not be parsed` });
    }
    return parsed;
  }

  #terms(body: unknown): Clause {
    const o = objectBody('terms', body);
    const entries = Object.entries(o).filter(([k]) => k !== 'boost' && k !== '_name');
    if (entries.length !== 1) throw parsingError('[terms] query does not support multiple fields');
    const [field, values] = entries[0]!;
    if (!Array.isArray(values)) throw parsingError(`[terms] query does not support [${field}]`);
    if (values.length === 0) return NONE;
    const parts = values.map((v) => this.#termClause(field, v, 1)).filter((p) => p.w !== '0');
    if (parts.length === 0) return NONE;
    return { w: `(${parts.map((p) => p.w).join(' OR ')})`, s: num(boostOf(o)) };
  }

  #existsPattern(pattern: string, boost: number): Clause {
    const fields = this.expandFields(pattern);
    const parts = fields.map((f) => this.#exists(f)).filter((w) => w !== '0');
    if (parts.length === 0) return NONE;
    return { w: `(${parts.join(' OR ')})`, s: num(boost) };
  }

  #exists(field: string): string {
    if (field === '_id' || field === '_index') return '1';
    const column = this.column(field);
    if (column) return `${column} IS NOT NULL`;
    const leaf = this.leaf(field);
    if (!leaf && !this.index.mapping.objects.has(field)) return '0';
    return `source_exists(f.doc, ${this.param(field)})`;
  }

  #range(field: string, o: Record<string, unknown>): Clause {
    const leaf = this.leaf(field);
    const column = this.column(field);
    const boost = boostOf(o);
    if (!leaf || !column) return NONE;
    const ops: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', from: '>=', to: '<=' };
    const limits: [string, Param][] = [];
    for (const [key, value] of Object.entries(o)) {
      const op = ops[key];
      if (!op) {
        if (['format', 'time_zone', 'boost', 'relation', '_name', 'include_lower', 'include_upper'].includes(key)) continue;
        throw parsingError(`[range] query does not support [${key}]`);
      }
      if (value === null || value === undefined) continue;
      let sqlOp = op;
      if (key === 'from' && o.include_lower === false) sqlOp = '>';
      if (key === 'to' && o.include_upper === false) sqlOp = '<';
      let encoded: Param;
      if (DATE_TYPES.has(leaf.type)) {
        // Elasticsearch rounds `/d` down for gte/lt and up for gt/lte.
        const roundUp = sqlOp === '>' || sqlOp === '<=';
        encoded = this.date(leaf, value, o.format as string | undefined, o.time_zone as string | undefined, roundUp);
      } else encoded = this.encode(leaf, value);
      limits.push([sqlOp, encoded]);
    }
    if (limits.length === 0) return { w: `${column} IS NOT NULL`, s: num(boost) };
    // Scalars compare below any BLOB (several values, or a long keyword), so `< x''` keeps the index usable.
    const bounds: Bound[] = limits.map(([op, v]) => ({ column, op, param: this.param(v) }));
    const scalar = `(${bounds.map((b) => `${column} ${b.op} ${b.param}`).join(' AND ')}${limits.some(([op]) => op === '<' || op === '<=') ? '' : ` AND ${column} < x''`})`;
    const inArray = limits.map(([op, v]) => `value ${op} ${this.param(v)}`).join(' AND ');
    return { w: `(${scalar} OR (${column} > x'' AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE ${inArray})))`, s: num(boost), bounds };
  }

  /** prefix / wildcard / regexp on a keyword column, or over the vocabulary of a text field. */
  #pattern(kind: 'prefix' | 'wildcard' | 'regexp', field: string, pattern: string, boost: number, caseInsensitive: boolean): Clause {
    const regex = patternRegex(kind, pattern, caseInsensitive);
    if (field === '_id') {
      this.usesDocs = true;
      return { w: `js_regexp(${this.param(regex.source)}, ${this.param(regex.flags)}, d.id)`, s: num(boost) };
    }
    const fts = this.fts(field);
    if (fts) {
      if (kind === 'prefix' && !caseInsensitive) {
        const tokens = tokenize(pattern);
        if (tokens.length !== 1 || tokens[0] !== pattern) return NONE;
        this.#remember(field, tokens);
        return { w: this.#ftsClause(field, fts, `${quote(tokens[0]!)} *`, boost).w, s: num(boost) };
      }
      const words = this.vocabulary(fts).filter((t) => regex.test(t)).slice(0, MAX_EXPANSIONS);
      if (words.length === 0) return NONE;
      return { w: this.#textTokens(field, fts, words, 'OR', boost).w, s: num(boost) };
    }
    const column = this.column(field);
    const leaf = this.leaf(field);
    if (!column || !leaf) return NONE;
    if (kind === 'prefix' && !caseInsensitive) {
      const p = this.param(pattern);
      const len = this.param(pattern.length);
      return { w: `((typeof(${column}) = 'text' AND substr(${column}, 1, ${len}) = ${p}) OR (${column} > x'' AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE substr(value, 1, ${len}) = ${p})))`, s: num(boost) };
    }
    return { w: this.#regexOnColumn(leaf, field, column, regex), s: num(boost) };
  }

  #regexOnColumn(leaf: Leaf, field: string, column: string, regex: RegExp): string {
    const src = this.param(regex.source);
    const flags = this.param(regex.flags);
    const long = `(${column} = x'' AND source_match(f.doc, ${this.param(leaf.multiOf ?? field)}, ${src}, ${flags}))`;
    return `((typeof(${column}) = 'text' AND js_regexp(${src}, ${flags}, ${column})) OR (${column} > x'' AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE js_regexp(${src}, ${flags}, value))) OR ${long})`;
  }

  #fuzzy(field: string, value: string, fuzziness: unknown, boost: number, maxExpansions: number): Clause {
    const fts = this.fts(field);
    const distance = fuzzyDistance(fuzziness, value);
    if (fts) {
      const word = value.toLowerCase();
      const words = this.fuzzyWords(fts, word, distance, maxExpansions);
      if (words.length === 0) return NONE;
      return this.#textTokens(field, fts, words, 'OR', boost);
    }
    const column = this.column(field);
    if (!column) return NONE;
    const p = this.param(value);
    const d = this.param(distance);
    return { w: `((typeof(${column}) = 'text' AND edit_distance(${column}, ${p}, ${d})) OR (${column} > x'' AND length(${column}) > 0 AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE edit_distance(value, ${p}, ${d}))))`, s: num(boost) };
  }

  /** Indexed words of a text field within an edit distance, closest first. */
  fuzzyWords(fts: { table: string; column: string }, word: string, distance: number, max: number): string[] {
    if (distance === 0) return [word];
    const found: [string, number][] = [];
    for (const t of this.vocabulary(fts)) {
      if (Math.abs(t.length - word.length) > distance) continue;
      const d = levenshtein(t, word, distance);
      if (d <= distance) found.push([t, d]);
    }
    found.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    return found.slice(0, Math.max(1, max)).map(([t]) => t);
  }

  vocabulary(fts: { table: string; column: string }): string[] {
    return vocabularyOf(this.#options.db, fts.table, fts.column);
  }

  // ---- full-text queries --------------------------------------------------------------

  #match(field: string, o: Record<string, unknown>): Clause {
    for (const key of Object.keys(o)) {
      if (!MATCH_KEYS.has(key)) throw parsingError(`[match] query does not support [${key}]`);
    }
    const boost = boostOf(o);
    const fts = this.fts(field);
    const lenient = o.lenient === true;
    if (!fts) {
      try {
        return this.#termClause(field, o.query, boost);
      } catch (error) {
        if (lenient) return NONE;
        throw error;
      }
    }
    const operator = String(o.operator ?? 'or').toUpperCase() === 'AND' ? 'AND' : 'OR';
    const tokens = tokenize(String(o.query));
    if (tokens.length === 0) return o.zero_terms_query === 'all' ? { w: '1', s: '0' } : NONE;
    const distance = o.fuzziness === undefined ? 0 : -1;
    const groups = tokens.map((t) => (distance === 0 ? [t] : this.fuzzyWords(fts, t, fuzzyDistance(o.fuzziness, t), Number(o.max_expansions ?? 50))));
    const exprs = groups.map((g) => (g.length === 0 ? null : g.length === 1 ? quote(g[0]!) : `(${g.map(quote).join(' OR ')})`));
    this.#remember(field, groups.flat());
    const msm = o.minimum_should_match;
    if (operator === 'OR' && msm !== undefined && tokens.length > 1) {
      const min = minimumShouldMatch(msm, tokens.length);
      const parts = exprs.map((e) => (e === null ? NONE : this.#ftsClause(field, fts, e, boost)));
      if (min > parts.length) return NONE;
      const counted = `(${parts.map((p) => `(CASE WHEN ${p.w} THEN 1 ELSE 0 END)`).join(' + ')}) >= ${Math.max(1, min)}`;
      return { w: `(${counted})`, s: `(${parts.map((p) => `(CASE WHEN ${p.w} THEN ${p.s} ELSE 0 END)`).join(' + ')})` };
    }
    const present = exprs.filter((e): e is string => e !== null);
    if (present.length === 0 || (operator === 'AND' && present.length < exprs.length)) return NONE;
    return this.#ftsClause(field, fts, present.join(` ${operator} `), boost);
  }

  #phrase(field: string, text: string, slop: number, prefix: boolean, boost: number): Clause {
    const fts = this.fts(field);
    if (!fts) return this.#termClause(field, text, boost);
    const tokens = tokenize(text);
    if (tokens.length === 0) return NONE;
    this.#remember(field, tokens);
    if (prefix) {
      const last = tokens[tokens.length - 1]!;
      this.#remember(field, this.vocabulary(fts).filter((t) => t.startsWith(last)).slice(0, 50));
      return this.#ftsClause(field, fts, `${quote(tokens.join(' '))} *`, boost);
    }
    if (slop > 0 && tokens.length > 1) return this.#ftsClause(field, fts, `NEAR(${tokens.map(quote).join(' ')}, ${Math.trunc(slop) + tokens.length - 1})`, boost);
    return this.#ftsClause(field, fts, quote(tokens.join(' ')), boost);
  }

  #multiMatch(o: Record<string, unknown>): Clause {
    if (o.query === undefined) throw parsingError('[multi_match] requires query value');
    const specs = fieldSpecs(o.fields ?? ['*']);
    const type = String(o.type ?? 'best_fields');
    if (!['best_fields', 'most_fields', 'cross_fields', 'phrase', 'phrase_prefix', 'bool_prefix'].includes(type)) throw parsingError(`[multi_match] query does not support type ${type}`);
    const parts: Clause[] = [];
    for (const spec of specs) {
      for (const field of this.expandFields(spec.field)) {
        const leaf = this.leaf(field);
        if (!leaf) continue;
        if (spec.field.includes('*') && !TEXT_TYPES.has(leaf.type) && !KEYWORD_TYPES.has(leaf.type)) continue;
        const boost = spec.boost * boostOf(o);
        try {
          if (type === 'phrase' || type === 'phrase_prefix') parts.push(this.#phrase(field, String(o.query), Number(o.slop ?? 0), type === 'phrase_prefix', boost));
          else {
            const options: Record<string, unknown> = { query: o.query, boost };
            for (const k of ['operator', 'minimum_should_match', 'fuzziness', 'zero_terms_query']) if (o[k] !== undefined) options[k] = o[k];
            parts.push(this.#match(field, options));
          }
        } catch (error) {
          if (o.lenient === true || spec.field.includes('*')) continue;
          throw error;
        }
      }
    }
    const live = parts.filter((p) => p.w !== '0');
    if (live.length === 0) return NONE;
    const scores = live.map((p) => `(CASE WHEN ${p.w} THEN ${p.s} ELSE 0 END)`);
    const tie = Number(o.tie_breaker ?? (type === 'most_fields' || type === 'cross_fields' ? 1 : 0));
    const sum = scores.join(' + ');
    const max = scores.length === 1 ? scores[0]! : `max(${scores.join(', ')})`;
    return { w: `(${live.map((p) => p.w).join(' OR ')})`, s: tie === 1 ? `(${sum})` : tie ? `(${max} + ${num(tie)} * ((${sum}) - ${max}))` : max };
  }

  #bool(o: Record<string, unknown>): Clause {
    for (const key of Object.keys(o)) {
      if (!BOOL_KEYS.has(key)) throw parsingError(`[bool] query does not support [${key}]`);
    }
    const list = (key: string): unknown[] => {
      const value = o[key];
      return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    };
    const must = list('must').map((q) => this.compile(q));
    const filter = list('filter').map((q) => this.compile(q));
    const mustNot = list('must_not').map((q) => this.compile(q));
    const should = list('should').map((q) => this.compile(q));
    return this.combine(must, filter, mustNot, should, o.minimum_should_match, boostOf(o));
  }

  combine(must: Clause[], filter: Clause[], mustNot: Clause[], should: Clause[], msm: unknown, boost: number): Clause {
    const parts = [...must.map((c) => c.w), ...filter.map((c) => c.w), ...mustNot.map((c) => `NOT (${c.w})`)];
    if (should.length > 0) {
      const min = msm === undefined || msm === null ? (must.length + filter.length > 0 ? 0 : 1) : minimumShouldMatch(msm, should.length);
      if (min > should.length) return NONE;
      if (min === 1) {
        const live = should.filter((s) => s.w !== '0');
        parts.push(live.length === 0 ? '0' : `(${live.map((s) => s.w).join(' OR ')})`);
      }
      else if (min > 1) parts.push(`((${should.map((s) => `(CASE WHEN ${s.w} THEN 1 ELSE 0 END)`).join(' + ')}) >= ${min})`);
    }
    const scores = [...must.map((c) => c.s), ...should.map((c) => `(CASE WHEN ${c.w} THEN ${c.s} ELSE 0 END)`)];
    const score = scores.length === 0 ? '0' : `((${scores.join(' + ')}) * ${num(boost)})`;
    // SQLite tests the conditions of a row in the order written: cheap column comparisons
    // first, so that sub-selects and long OR chains run only on rows that passed them.
    parts.sort((a, b) => conditionCost(a) - conditionCost(b));
    if (parts.length === 0) return { w: '1', s: must.length + should.length === 0 ? '0' : score };
    return carry({ w: `(${parts.join(' AND ')})`, s: score }, [...must, ...filter]);
  }

  // ---- query languages ----------------------------------------------------------------

  #queryString(o: Record<string, unknown>, language: 'lucene' | 'simple' | 'kql'): Clause {
    const name = language === 'lucene' ? 'query_string' : language === 'simple' ? 'simple_query_string' : 'kql';
    if (typeof o.query !== 'string') throw parsingError(`[${name}] requires 'query' field to be a string`);
    const text = o.query;
    const operator = String(o.default_operator ?? 'or').toUpperCase() === 'AND' ? 'AND' : 'OR';
    let tree: QueryNode;
    try {
      if (language === 'lucene') {
        tree = parseQueryString(text, {
          defaultOperator: operator,
          ...(o.allow_leading_wildcard === false ? { allowLeadingWildcard: false } : {}),
          ...(o.analyze_wildcard === true ? { analyzeWildcard: true } : {}),
          ...(typeof o.phrase_slop === 'number' ? { phraseSlop: o.phrase_slop } : {}),
          ...(typeof o.fuzzy_max_expansions === 'number' ? { fuzzyMaxExpansions: o.fuzzy_max_expansions } : {}),
        });
      } else if (language === 'simple') tree = parseSimpleQueryString(text, { defaultOperator: operator, ...(o.flags !== undefined ? { flags: o.flags as string } : {}) });
      else tree = parseKql(text);
    } catch (error) {
      if (error instanceof QuerySyntaxError) {
        if (language === 'kql') throw new EsError(400, 'query_shard_exception', `Failed to parse KQL query [${text}]: ${error.message}`, { index_uuid: this.index.uuid, index: this.index.name, position: error.position }, { type: 'kql_syntax_error', reason: error.message });
        throw this.shardError(`Failed to parse query [${text}]`, 'parse_exception', error.message);
      }
      throw error;
    }
    const defaults = fieldSpecs(o.fields ?? (o.default_field !== undefined ? [o.default_field] : String(this.index.meta.settings['index.query.default_field'] ?? '*').split(',')));
    const ctx: TreeContext = { defaults, operator: language === 'kql' ? 'OR' : operator, lenient: o.lenient === true || language !== 'lucene', explicitDefaults: o.fields !== undefined || o.default_field !== undefined };
    const clause = this.tree(tree, ctx);
    const boost = boostOf(o);
    return boost === 1 ? clause : carry({ w: clause.w, s: `(${clause.s}) * ${num(boost)}` }, [clause]);
  }

  /** Compiles a query-language tree. */
  tree(node: QueryNode, ctx: TreeContext): Clause {
    if (++this.#depth > 200) throw parsingError('query is nested too deeply');
    try {
      return this.#tree(node, ctx);
    } finally {
      this.#depth--;
    }
  }

  #tree(node: QueryNode, ctx: TreeContext): Clause {
    switch (node.kind) {
      case 'match_all':
        return { w: '1', s: num(node.boost ?? 1) };
      case 'match_none':
        return NONE;
      case 'bool': {
        const map = (list: QueryNode[]) => list.map((n) => this.tree(n, ctx));
        const must = map(node.must);
        const should = map(node.should);
        const mustNot = map(node.mustNot);
        const filter = map(node.filter);
        // Clauses whose text analysed to nothing drop out, as in Elasticsearch.
        const keep = (list: Clause[], nodes: QueryNode[]) => list.filter((c, i) => !(c === EMPTY && nodes[i]));
        const m = keep(must, node.must);
        const s = keep(should, node.should);
        const n = keep(mustNot, node.mustNot);
        const f = keep(filter, node.filter);
        if (m.length + s.length + n.length + f.length === 0) return NONE;
        return this.combine(m, f, n, s, node.minimumShouldMatch, node.boost ?? 1);
      }
      case 'exists':
        return this.#existsPattern(node.field, 1);
      default:
        return this.#onFields(node, ctx);
    }
  }

  #onFields(node: Exclude<QueryNode, { kind: 'match_all' | 'match_none' | 'bool' | 'exists' }>, ctx: TreeContext): Clause {
    const specs = node.field === null ? ctx.defaults : [{ field: node.field, boost: 1 }];
    const parts: Clause[] = [];
    let sawText = false;
    for (const spec of specs) {
      const fields = this.expandFields(spec.field);
      const wildcardSpec = spec.field.includes('*') || (node.field === null && !ctx.explicitDefaults);
      for (const field of fields) {
        const leaf = this.leaf(field);
        if (!leaf && !(field === '_id' || field === '_index')) continue;
        if (wildcardSpec && leaf && !TEXT_TYPES.has(leaf.type) && !KEYWORD_TYPES.has(leaf.type) && leaf.type !== 'ip' && !(leaf.type in INTEGER_TYPES) && !FLOAT_TYPES.has(leaf.type) && !DATE_TYPES.has(leaf.type) && leaf.type !== 'boolean') continue;
        try {
          const clause = this.#nodeOnField(node, field, spec.boost * (node.boost ?? 1), ctx);
          if (clause === EMPTY) sawText = true;
          else parts.push(clause);
        } catch (error) {
          if (ctx.lenient || wildcardSpec) continue;
          throw error;
        }
      }
    }
    if (parts.length === 0) return sawText ? EMPTY : NONE;
    // Fields the value cannot match (NONE: a keyword value no document had, a number field
    // for a word) drop out of the OR: `0 OR x` would keep SQLite from driving the search
    // from x (e.g. the rowids of a full-text match) and make it scan every row instead.
    const live = parts.filter((p) => p.w !== '0');
    if (live.length === 0) return NONE;
    if (live.length === 1) return live[0]!;
    parts.splice(0, parts.length, ...live);
    const scores = parts.map((p) => `(CASE WHEN ${p.w} THEN ${p.s} ELSE 0 END)`);
    return { w: `(${parts.map((p) => p.w).join(' OR ')})`, s: `max(${scores.join(', ')})` };
  }

  #nodeOnField(node: Exclude<QueryNode, { kind: 'match_all' | 'match_none' | 'bool' | 'exists' }>, field: string, boost: number, ctx: TreeContext): Clause {
    const leaf = this.leaf(field);
    const isText = leaf !== undefined && this.fts(field) !== null;
    switch (node.kind) {
      case 'term': {
        if (isText && tokenize(node.text).length === 0) return EMPTY;
        if (isText) return this.#match(field, { query: node.text, operator: ctx.operator, boost });
        if (leaf && DATE_TYPES.has(leaf.type)) {
          const lo = this.date(leaf, node.text, undefined, undefined, false);
          const hi = this.date(leaf, node.text, undefined, undefined, true);
          return this.#range(field, { gte: lo, lte: hi === lo ? lo : hi, boost });
        }
        return this.#termClause(field, node.text, boost);
      }
      case 'phrase':
        if (isText && tokenize(node.text).length === 0) return EMPTY;
        return this.#phrase(field, node.text, node.slop, false, boost);
      case 'prefix': {
        if (isText) {
          const text = node.text.toLowerCase();
          return this.#pattern('prefix', field, text, boost, false);
        }
        return this.#pattern('prefix', field, node.text, boost, false);
      }
      case 'wildcard':
        return this.#pattern('wildcard', field, isText ? node.pattern.toLowerCase() : node.pattern, boost, false);
      case 'regexp':
        return this.#pattern('regexp', field, node.pattern, boost, false);
      case 'fuzzy':
        return this.#fuzzy(field, node.text, node.fuzziness, boost, node.maxExpansions ?? 50);
      case 'range': {
        const o: Record<string, unknown> = { boost };
        for (const k of ['gt', 'gte', 'lt', 'lte'] as const) if (node[k] !== undefined) o[k] = node[k];
        if (isText) return NONE;
        return this.#range(field, o);
      }
    }
  }
}

export interface TreeContext {
  defaults: { field: string; boost: number }[];
  operator: 'AND' | 'OR';
  lenient: boolean;
  explicitDefaults: boolean;
}

/** `clause`, an AND of (at least) `conjuncts`, with the driver and bounds they give. */
function carry(clause: Clause, conjuncts: Clause[]): Clause {
  const driver = conjuncts.find((c) => c.driver)?.driver;
  const bounds = conjuncts.flatMap((c) => c.bounds ?? []);
  return { ...clause, ...(driver ? { driver } : {}), ...(bounds.length ? { bounds } : {}) };
}

const NONE: Clause = { w: '0', s: '0' };
/** A clause whose text analysed to no tokens (drops out of its bool). */
const EMPTY: Clause = { w: '0', s: '0' };

const MATCH_KEYS = new Set([
  'query',
  'operator',
  'minimum_should_match',
  'fuzziness',
  'max_expansions',
  'prefix_length',
  'fuzzy_transpositions',
  'lenient',
  'zero_terms_query',
  'analyzer',
  'boost',
  '_name',
  'auto_generate_synonyms_phrase_query',
  'fuzzy_rewrite',
  'cutoff_frequency',
]);

const UNSUPPORTED = new Set(['nested', 'function_score', 'script', 'script_score', 'geo_distance', 'geo_bounding_box', 'more_like_this', 'combined_fields', 'intervals', 'match_bool_prefix', 'has_child', 'has_parent', 'percolate', 'span_term', 'span_near', 'terms_set', 'distance_feature', 'pinned', 'rank_feature', 'wrapper', 'knn']);

function conditionCost(sql: string): number {
  return (sql.match(/SELECT|json_each|source_|js_regexp|edit_distance/g)?.length ?? 0) * 4 + (sql.match(/ OR /g)?.length ?? 0);
}

function objectBody(type: string, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw parsingError(`[${type}] query malformed, no start_object after query name`);
  return body as Record<string, unknown>;
}

function boostOf(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 1;
  const b = (body as { boost?: unknown }).boost;
  if (b === undefined) return 1;
  const n = Number(b);
  if (!Number.isFinite(n)) throw parsingError(`[boost] must be a number, found [${String(b)}]`);
  return n;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

function num(n: unknown): string {
  const v = Number(n);
  return Number.isFinite(v) ? String(v) : '1';
}

function quote(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

export function fieldSpecs(value: unknown): { field: string; boost: number }[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    const text = String(v);
    const m = /^(.*)\^([\d.]+)$/.exec(text);
    return m ? { field: m[1]!, boost: Number(m[2]) } : { field: text, boost: 1 };
  });
}

export function minimumShouldMatch(value: unknown, count: number): number {
  const text = String(value).trim();
  if (text.includes('<')) {
    // conditional spec "3<90%": applies above the number of clauses
    let result = count;
    for (const part of text.split(/\s+/)) {
      const [limit, spec] = part.split('<');
      if (count > Number(limit)) result = minimumShouldMatch(spec, count);
    }
    return result;
  }
  if (text.endsWith('%')) {
    const pct = Number(text.slice(0, -1));
    const n = Math.trunc((count * Math.abs(pct)) / 100);
    return pct < 0 ? count - n : n;
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw parsingError(`Invalid minimum_should_match value [${text}]`);
  return n < 0 ? Math.max(0, count + n) : n;
}

function fuzzyDistance(fuzziness: unknown, word: string): number {
  if (fuzziness === undefined || fuzziness === null) return autoDistance(word);
  const text = String(fuzziness).toUpperCase();
  if (text.startsWith('AUTO')) {
    const m = /^AUTO:(\d+),(\d+)$/.exec(text);
    const [low, high] = m ? [Number(m[1]), Number(m[2])] : [3, 6];
    return word.length < low ? 0 : word.length < high ? 1 : 2;
  }
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw parsingError(`failed to parse fuzziness [${String(fuzziness)}]`);
  return Math.min(2, Math.trunc(n));
}

function autoDistance(word: string): number {
  return word.length < 3 ? 0 : word.length < 6 ? 1 : 2;
}

/** Levenshtein distance with transpositions, stopping early above `max`. */
export function levenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return rowMin;
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/** Lucene prefix / wildcard / regexp as an anchored JS RegExp. */
export function patternRegex(kind: 'prefix' | 'wildcard' | 'regexp', pattern: string, caseInsensitive: boolean): RegExp {
  let source: string;
  if (kind === 'prefix') source = `${escapeRegex(pattern)}[\\s\\S]*`;
  else if (kind === 'wildcard') {
    source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i]!);
      else if (c === '*') source += '[\\s\\S]*';
      else if (c === '?') source += '[\\s\\S]';
      else source += escapeRegex(c);
    }
  } else source = luceneRegex(pattern);
  try {
    return new RegExp(`^(?:${source})$`, caseInsensitive ? 'iu' : 'u');
  } catch {
    throw parsingError(`invalid regular expression [${pattern}]`);
  }
}

/** Lucene's regexp syntax to JS: `.` `?` `+` `*` `|` `{}` `[]` `()` mean the same; `@` (any string), `#` (empty), `<n-m>` are translated; `&`, `~` are literal here. */
function luceneRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else if (c === '@') out += '[\\s\\S]*';
    else if (c === '#') out += '(?:)';
    else if (c === '"') {
      const end = pattern.indexOf('"', i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out += escapeRegex(literal);
      i = end < 0 ? pattern.length : end;
    } else if (c === '<') {
      const m = /^<(\d+)-(\d+)>/.exec(pattern.slice(i));
      if (m) {
        out += `(?:${numericRange(Number(m[1]), Number(m[2]))})`;
        i += m[0].length - 1;
      } else out += '<';
    } else if (c === '&' || c === '~' || c === '/' || c === '$' || c === '^') out += `\\${c}`;
    else out += c;
  }
  return out;
}

function numericRange(lo: number, hi: number): string {
  const values: string[] = [];
  for (let n = Math.min(lo, hi); n <= Math.max(lo, hi) && values.length < 1000; n++) values.push(String(n));
  return values.join('|');
}

/** What FTS5's unicode61 tokenizer indexes (close to the standard analyzer): runs of letters, digits, marks; lowercased. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).filter(Boolean);
}

const vocabCache = new WeakMap<DatabaseSync, Map<string, { at: number; words: string[] }>>();

/** Every word indexed in a text column (FTS5 vocabulary, cached for a second). */
export function vocabularyOf(db: DatabaseSync, table: string, column: string): string[] {
  let cache = vocabCache.get(db);
  if (!cache) vocabCache.set(db, (cache = new Map()));
  const key = `${table}.${column}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < 1000) return hit.words;
  const vocab = `temp.vocab_${table}`;
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${vocab} USING fts5vocab(${FTS_SCHEMA}, ${table}, col)`);
  const rows = db.prepare(`SELECT term FROM ${vocab} WHERE col = ?`).all(column) as { term: string }[];
  const words = rows.map((r) => r.term);
  cache.set(key, { at: Date.now(), words });
  return words;
}

/** SQL functions search conditions use (registered on every connection that runs them). */
export function registerSearchFunctions(db: DatabaseSync, sourceValues: (doc: number, path: string) => unknown[]): void {
  const regexes = new Map<string, RegExp>();
  const regexOf = (source: unknown, flags: unknown): RegExp => {
    const key = `${String(flags)}/${String(source)}`;
    let r = regexes.get(key);
    if (!r) {
      r = new RegExp(String(source), String(flags));
      if (regexes.size > 256) regexes.clear();
      regexes.set(key, r);
    }
    return r;
  };
  db.function('js_regexp', { deterministic: true }, (source, flags, value) => (value !== null && typeof value !== 'object' && regexOf(source, flags).test(String(value)) ? 1 : 0));
  db.function('source_match', { deterministic: true }, (doc, path, source, flags) => {
    const r = regexOf(source, flags);
    return sourceValues(Number(doc), String(path)).some((v) => r.test(String(v))) ? 1 : 0;
  });
  db.function('edit_distance', { deterministic: true }, (a, b, max) => (a !== null && typeof a !== 'object' && levenshtein(String(a), String(b), Number(max)) <= Number(max) ? 1 : 0));
}
