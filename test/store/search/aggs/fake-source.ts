/**
 * An in-memory AggSource for aggregation tests: documents as plain objects, a mapping of
 * field → type, and a small query matcher (term, terms, range, exists, match_all, bool)
 * for `filter` / `filters`. Positions are indexes into the document array.
 */
import { dateParser } from '../../../../src/store/mapping/dates.ts';
import type { AggColumn, AggScalar, AggSource } from '../../../../src/store/search/aggs/types.ts';

export type Doc = Record<string, unknown>;

const parseDate = dateParser('strict_date_optional_time||epoch_millis||yyyy/MM/dd HH:mm:ss||yyyy/MM/dd');

function lookup(doc: Doc, field: string): unknown {
  if (field in doc) return doc[field];
  // A dynamic mapping's `x.keyword` multi-field reads `x`.
  if (field.endsWith('.keyword')) return lookup(doc, field.slice(0, -'.keyword'.length));
  let node: unknown = doc;
  for (const part of field.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function convert(type: string, value: unknown): AggScalar | undefined {
  if (value === null || value === undefined) return undefined;
  if (type === 'date') return typeof value === 'number' ? value : (parseDate(String(value)) ?? undefined);
  if (type === 'boolean') return value === true || value === 'true';
  if (['long', 'integer', 'short', 'byte', 'double', 'float'].includes(type)) return Number(value);
  return String(value);
}

export interface FakeOptions {
  now?: number;
  maxBuckets?: number;
}

export function fakeSource(docs: Doc[], mapping: Record<string, string>, options: FakeOptions = {}): AggSource & { all: Int32Array } {
  const columns = new Map<string, AggColumn>();
  for (const [field, type] of Object.entries(mapping)) {
    const values = docs.map((d) => {
      const raw = lookup(d, field);
      if (Array.isArray(raw)) {
        const list = raw.map((v) => convert(type, v)).filter((v) => v !== undefined) as AggScalar[];
        return list.length === 0 ? undefined : list.length === 1 ? list[0] : list;
      }
      return convert(type, raw);
    });
    columns.set(field, { type, get: (p) => values[p] });
  }
  const matches = (doc: Doc, query: Record<string, unknown>): boolean => {
    const [kind, body] = Object.entries(query)[0] as [string, Record<string, unknown>];
    switch (kind) {
      case 'match_all':
        return true;
      case 'term': {
        const [field, spec] = Object.entries(body)[0]!;
        const want = spec && typeof spec === 'object' ? (spec as { value: unknown }).value : spec;
        const v = lookup(doc, field);
        return Array.isArray(v) ? v.includes(want) : v === want;
      }
      case 'terms': {
        const [field, list] = Object.entries(body)[0] as [string, unknown[]];
        const v = lookup(doc, field);
        return Array.isArray(v) ? v.some((x) => list.includes(x)) : list.includes(v);
      }
      case 'exists':
        return lookup(doc, body.field as string) != null;
      case 'range': {
        const [field, raw] = Object.entries(body)[0] as [string, Record<string, unknown>];
        const num = (x: unknown) => (mapping[field] === 'date' ? Number(convert('date', x)) : Number(x));
        const spec: Record<string, number | undefined> = {};
        for (const k of ['gte', 'gt', 'lte', 'lt']) if (raw[k] !== undefined) spec[k] = num(raw[k]);
        const v = num(lookup(doc, field));
        if (!Number.isFinite(v)) return false;
        return (
          (spec.gte === undefined || v >= spec.gte) &&
          (spec.gt === undefined || v > spec.gt) &&
          (spec.lte === undefined || v <= spec.lte) &&
          (spec.lt === undefined || v < spec.lt)
        );
      }
      case 'bool': {
        const list = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x : [x]) as Record<string, unknown>[];
        return (
          list(body.must).every((q) => matches(doc, q)) &&
          list(body.filter).every((q) => matches(doc, q)) &&
          !list(body.must_not).some((q) => matches(doc, q)) &&
          (body.should === undefined || list(body.should).some((q) => matches(doc, q)))
        );
      }
    }
    throw new Error(`fake source: unsupported query ${kind}`);
  };
  const all = Int32Array.from(docs.keys());
  return {
    all,
    size: docs.length,
    maxBuckets: options.maxBuckets ?? 65536,
    now: options.now ?? Date.UTC(2024, 4, 15, 10, 30),
    column: (field) => columns.get(field),
    filter: (query, positions) => Int32Array.from([...positions].filter((p) => matches(docs[p]!, query as Record<string, unknown>))),
    hits: (positions, opts) => {
      let list = [...positions];
      const sort = opts.sort as Record<string, { order: string }>[] | undefined;
      if (sort) {
        const [field, spec] = Object.entries(sort[0]!)[0]!;
        const dir = (typeof spec === 'string' ? spec : spec.order) === 'desc' ? -1 : 1;
        list.sort((a, b) => (Number(lookup(docs[a]!, field)) - Number(lookup(docs[b]!, field))) * dir);
      }
      const from = Number(opts.from ?? 0);
      list = list.slice(from, from + Number(opts.size ?? 3));
      return { total: positions.length, maxScore: sort ? null : 1, hits: list.map((p) => ({ _index: 'test', _id: String(p), _score: sort ? null : 1, _source: docs[p] })) };
    },
    terms: (field) => {
      const column = columns.get(field);
      const out = new Set<AggScalar>();
      if (!column) return out;
      for (let p = 0; p < docs.length; p++) {
        const v = column.get(p);
        if (v === undefined) continue;
        for (const x of Array.isArray(v) ? v : [v]) out.add(x as AggScalar);
      }
      return out;
    },
  };
}

/**
 * The `sales` index of Elasticsearch's reference documentation (the data behind its
 * aggregation examples: avg_price 140.71428571428572, t-shirts 128.33333333333334, ...).
 */
export const SALES_DOCS: Doc[] = [
  { date: '2015/01/01 00:00:00', price: 200, promoted: true, rating: 1, type: 'hat' },
  { date: '2015/01/01 00:00:00', price: 200, promoted: true, rating: 1, type: 't-shirt' },
  { date: '2015/01/01 00:00:00', price: 150, promoted: true, rating: 5, type: 'bag' },
  { date: '2015/02/01 00:00:00', price: 50, promoted: false, rating: 1, type: 'hat' },
  { date: '2015/02/01 00:00:00', price: 10, promoted: true, rating: 4, type: 't-shirt' },
  { date: '2015/03/01 00:00:00', price: 200, promoted: true, rating: 1, type: 'hat' },
  { date: '2015/03/01 00:00:00', price: 175, promoted: false, rating: 2, type: 't-shirt' },
];
export const SALES_MAPPING = { date: 'date', price: 'long', promoted: 'boolean', rating: 'long', type: 'keyword' };
