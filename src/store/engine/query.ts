/**
 * The query DSL subset that part 1 needs (`_count`, `_delete_by_query`,
 * `_update_by_query`): match_all, match_none, term, terms, ids, exists, range, prefix,
 * match (on text: all/any tokens via FTS5; on other fields: a term) and bool. Compiled to
 * one SQL condition over `docs d LEFT JOIN fields f ON f.doc = d.doc`.
 *
 * Column values follow index-db.ts: a BLOB is either a JSON array (several values) or
 * empty (a long keyword left in _source), so each comparison has a fast path on the
 * column and a slow path for those rows.
 */
import { EsError, parsingError } from '../errors.ts';
import type { Leaf } from '../mapping/mapping.ts';
import { DATE_TYPES, FLOAT_TYPES, INTEGER_TYPES } from '../mapping/types.ts';
import { evaluate } from './date-math.ts';
import { type IndexDb, KEYWORD_INLINE_MAX } from './index-db.ts';

export interface CompiledQuery {
  where: string;
  params: (string | number | null)[];
  /** True when the query is match_all (counts can use the live document counter). */
  matchAll: boolean;
}

type Param = string | number | null;

export function compileQuery(index: IndexDb, query: unknown): CompiledQuery {
  const params: Param[] = [];
  const compiler = new Compiler(index, params);
  if (query === undefined || query === null) return { where: '1', params, matchAll: true };
  const where = compiler.compile(query);
  return { where, params, matchAll: where === '1' };
}

class Compiler {
  readonly #index: IndexDb;
  readonly #params: Param[];

  constructor(index: IndexDb, params: Param[]) {
    this.#index = index;
    this.#params = params;
  }

  compile(query: unknown): string {
    if (typeof query !== 'object' || query === null || Array.isArray(query)) throw parsingError('query malformed, must start with start_object');
    const entries = Object.entries(query);
    if (entries.length !== 1) {
      throw parsingError(entries.length === 0 ? 'query malformed, empty clause found' : `[${entries[1]![0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
    }
    const [type, body] = entries[0]!;
    switch (type) {
      case 'match_all':
        return '1';
      case 'match_none':
        return '0';
      case 'term':
        return this.#fieldQuery(type, body, (field, value) => this.#term(field, value));
      case 'terms':
        return this.#terms(body);
      case 'ids':
        return this.#ids(body);
      case 'exists':
        return this.#exists(body);
      case 'range':
        return this.#fieldQuery(type, body, (field, value) => this.#range(field, value));
      case 'prefix':
        return this.#fieldQuery(type, body, (field, value) => this.#prefix(field, value));
      case 'match':
        return this.#fieldQuery(type, body, (field, value) => this.#match(field, value));
      case 'bool':
        return this.#bool(body);
      case 'constant_score':
        return this.compile((body as { filter: unknown }).filter);
      default:
        if (KNOWN_UNSUPPORTED.has(type)) throw new EsError(400, 'illegal_argument_exception', `query [${type}] is not supported by this store's _count and *_by_query yet`);
        throw parsingError(`unknown query [${type}]`);
    }
  }

  #param(value: Param): string {
    this.#params.push(value);
    return '?';
  }

  #fieldQuery(type: string, body: unknown, build: (field: string, value: unknown) => string): string {
    if (typeof body !== 'object' || body === null) throw parsingError(`[${type}] query malformed, no start_object after query name`);
    const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
    if (entries.length !== 1) throw parsingError(`[${type}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`);
    const [field, value] = entries[0]!;
    return build(field, value);
  }

  #leaf(field: string): Leaf | undefined {
    return this.#index.mapping.leaf(field);
  }

  #column(field: string): string | null {
    const storage = this.#index.committedStorage.get(field);
    return storage?.kind === 'column' ? `f.${storage.column}` : null;
  }

  #fts(field: string): { table: string; column: string } | null {
    const storage = this.#index.committedStorage.get(field);
    return storage?.kind === 'text' ? { table: storage.table, column: storage.column } : null;
  }

  /** A query value as the column stores it. */
  #encode(leaf: Leaf, value: unknown): Param {
    if (typeof value === 'object' && value !== null) throw parsingError(`[term] query does not support [${Object.keys(value)[0]}]`);
    if (leaf.type in INTEGER_TYPES || FLOAT_TYPES.has(leaf.type)) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new EsError(400, 'query_shard_exception', `failed to create query: For input string: "${String(value)}"`, { index: this.#index.name });
      return n;
    }
    if (DATE_TYPES.has(leaf.type)) return this.#date(leaf, value);
    if (leaf.type === 'boolean') return value === true || value === 'true' ? 1 : 0;
    return String(value);
  }

  #date(leaf: Leaf, value: unknown): number {
    if (typeof value === 'string' && value.startsWith('now')) return evaluate(value, Date.now());
    const text = typeof value === 'string' && value.includes('||') ? value.slice(0, value.indexOf('||')) : value;
    const parsed = leaf.parseDate!(text as string | number);
    if (parsed === null) throw new EsError(400, 'parse_exception', `failed to parse date field [${String(value)}] with format [${leaf.def.format ?? 'strict_date_optional_time||epoch_millis'}]`);
    return parsed;
  }

  #term(field: string, raw: unknown): string {
    const value = typeof raw === 'object' && raw !== null && 'value' in raw ? (raw as { value: unknown }).value : raw;
    if (field === '_id') return `d.id = ${this.#param(String(value))}`;
    if (field === '_index') return String(value) === this.#index.name ? '1' : '0';
    const leaf = this.#leaf(field);
    if (!leaf) return '0';
    const fts = this.#fts(field);
    if (fts) return this.#ftsMatch(fts, [String(value).toLowerCase()], 'AND');
    const column = this.#column(field);
    if (!column) return '0';
    const encoded = this.#encode(leaf, value);
    const inArray = `(typeof(${column}) = 'blob' AND length(${column}) > 0 AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${this.#param(encoded)}))`;
    if (typeof encoded === 'string' && encoded.length > KEYWORD_INLINE_MAX) {
      const sourcePath = leaf.multiOf ?? field;
      return `(${inArray} OR (typeof(${column}) = 'blob' AND length(${column}) = 0 AND source_has(d.doc, ${this.#param(sourcePath)}, ${this.#param(JSON.stringify(encoded))})))`;
    }
    return `(${column} = ${this.#param(encoded)} OR ${inArray})`;
  }

  #terms(body: unknown): string {
    if (typeof body !== 'object' || body === null) throw parsingError('[terms] query malformed, no start_object after query name');
    const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
    if (entries.length !== 1 || !Array.isArray(entries[0]![1])) throw parsingError('[terms] query does not support multiple fields, or the values are not an array');
    const [field, values] = entries[0]! as [string, unknown[]];
    if (values.length === 0) return '0';
    return `(${values.map((v) => this.#term(field, v)).join(' OR ')})`;
  }

  #ids(body: unknown): string {
    const values = (body as { values?: unknown }).values;
    if (!Array.isArray(values)) throw parsingError('[ids] query malformed, [values] must be an array');
    if (values.length === 0) return '0';
    return `d.id IN (${values.map((v) => this.#param(String(v))).join(', ')})`;
  }

  #exists(body: unknown): string {
    const field = (body as { field?: unknown }).field;
    if (typeof field !== 'string') throw parsingError('[exists] must be provided with a [field]');
    if (field === '_id' || field === '_index') return '1';
    const column = this.#column(field);
    if (column) return `${column} IS NOT NULL`;
    const leaf = this.#leaf(field);
    if (!leaf && !this.#index.mapping.objects.has(field)) return '0';
    return `source_exists(d.doc, ${this.#param(field)})`;
  }

  #range(field: string, body: unknown): string {
    if (typeof body !== 'object' || body === null) throw parsingError('[range] query malformed, no start_object after query name');
    const leaf = this.#leaf(field);
    const column = this.#column(field);
    if (!leaf || !column) return '0';
    const bounds = body as Record<string, unknown>;
    const ops: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', from: '>=', to: '<=' };
    const limits: [string, Param][] = [];
    for (const [key, value] of Object.entries(bounds)) {
      const op = ops[key];
      if (!op) {
        if (['format', 'time_zone', 'boost', 'relation', '_name', 'include_lower', 'include_upper'].includes(key)) continue;
        throw parsingError(`[range] query does not support [${key}]`);
      }
      if (value === null || value === undefined) continue;
      let sqlOp = op;
      if (key === 'from' && bounds.include_lower === false) sqlOp = '>';
      if (key === 'to' && bounds.include_upper === false) sqlOp = '<';
      limits.push([sqlOp, this.#encode(leaf, value)]);
    }
    if (limits.length === 0) return `${column} IS NOT NULL`;
    const scalar = limits.map(([op, v]) => `${column} ${op} ${this.#param(v)}`).join(' AND ');
    const inArray = limits.map(([op, v]) => `value ${op} ${this.#param(v)}`).join(' AND ');
    return `((typeof(${column}) != 'blob' AND ${scalar}) OR (typeof(${column}) = 'blob' AND length(${column}) > 0 AND EXISTS (SELECT 1 FROM json_each(${column}) WHERE ${inArray})))`;
  }

  #prefix(field: string, raw: unknown): string {
    const value = typeof raw === 'object' && raw !== null ? (raw as { value: unknown }).value : raw;
    if (field === '_id') return `substr(d.id, 1, ${this.#param(String(value).length)}) = ${this.#param(String(value))}`;
    const column = this.#column(field);
    if (!column) return '0';
    const text = String(value);
    return `(typeof(${column}) = 'text' AND substr(${column}, 1, ${this.#param(text.length)}) = ${this.#param(text)})`;
  }

  #match(field: string, raw: unknown): string {
    const options = typeof raw === 'object' && raw !== null ? (raw as { query: unknown; operator?: string }) : { query: raw };
    const fts = this.#fts(field);
    if (!fts) return this.#term(field, options.query);
    const tokens = tokenize(String(options.query));
    if (tokens.length === 0) return '0';
    return this.#ftsMatch(fts, tokens, String(options.operator ?? 'or').toUpperCase() === 'AND' ? 'AND' : 'OR');
  }

  #ftsMatch(fts: { table: string; column: string }, tokens: string[], operator: 'AND' | 'OR'): string {
    const expression = `{${fts.column}} : (${tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(` ${operator} `)})`;
    return `d.doc IN (SELECT rowid FROM ${fts.table} WHERE ${fts.table} MATCH ${this.#param(expression)})`;
  }

  #bool(body: unknown): string {
    if (typeof body !== 'object' || body === null) throw parsingError('[bool] query malformed, no start_object after query name');
    const clauses = body as Record<string, unknown>;
    const list = (key: string): unknown[] => {
      const value = clauses[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    };
    for (const key of Object.keys(clauses)) {
      if (!['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost', '_name', 'adjust_pure_negative'].includes(key)) {
        throw parsingError(`[bool] query does not support [${key}]`);
      }
    }
    const required = [...list('must'), ...list('filter')].map((q) => this.compile(q));
    const excluded = list('must_not').map((q) => `NOT (${this.compile(q)})`);
    const should = list('should').map((q) => this.compile(q));
    const parts = [...required, ...excluded];
    if (should.length > 0) {
      const min = minimumShouldMatch(clauses.minimum_should_match, should.length, required.length + excluded.length > 0);
      if (min === 1) parts.push(`(${should.join(' OR ')})`);
      else if (min > 1) parts.push(`((${should.map((s) => `(CASE WHEN ${s} THEN 1 ELSE 0 END)`).join(' + ')}) >= ${min})`);
    }
    if (parts.length === 0) return '1';
    return `(${parts.join(' AND ')})`;
  }
}

function minimumShouldMatch(value: unknown, count: number, hasRequired: boolean): number {
  if (value === undefined || value === null) return hasRequired ? 0 : 1;
  const text = String(value).trim();
  if (text.endsWith('%')) {
    const pct = Number(text.slice(0, -1));
    const n = Math.trunc((count * Math.abs(pct)) / 100);
    return pct < 0 ? count - n : n;
  }
  const n = Number(text);
  return n < 0 ? count + n : n;
}

const KNOWN_UNSUPPORTED = new Set([
  'query_string',
  'simple_query_string',
  'match_phrase',
  'match_phrase_prefix',
  'multi_match',
  'wildcard',
  'regexp',
  'fuzzy',
  'nested',
  'function_score',
  'script',
  'geo_distance',
  'more_like_this',
  'combined_fields',
  'intervals',
  'match_bool_prefix',
  'dis_max',
  'boosting',
]);

/** Roughly the standard analyzer: Unicode letters and digits, lowercased. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter(Boolean);
}
