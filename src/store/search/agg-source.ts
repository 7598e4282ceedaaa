/**
 * The AggSource (aggs/types.ts) of a search: positions 0..n-1 are the matching documents
 * of each index in turn, in doc-number order. A column is loaded on first use by running
 * the search condition again and selecting that one column (`ORDER BY f.doc` keeps it
 * aligned with the positions), so aggregations read only the fields they use.
 */
import type { IndexDb } from '../engine/index-db.ts';
import { valuesAt } from '../mapping/values.ts';
import type { AggColumn, AggScalar, AggSource } from './aggs/types.ts';
import type { Bound, SearchCompiler } from './compile.ts';
import { dateFormatter, parseZone, UTC } from './aggs/dates.ts';

export class IndexSource {
  readonly index: IndexDb;
  readonly indexPos: number;
  readonly compiler: SearchCompiler;
  /** The search condition (without post_filter). */
  readonly where: string;
  /** Bounds on scalar column values that `where` implies (Clause.bounds). */
  readonly bounds: readonly Bound[];
  #docs: Int32Array | null = null;

  constructor(index: IndexDb, indexPos: number, compiler: SearchCompiler, where: string, bounds: readonly Bound[] = []) {
    this.index = index;
    this.indexPos = indexPos;
    this.compiler = compiler;
    this.where = where;
    this.bounds = bounds;
  }

  /** Runs `SELECT <expr> ... WHERE <search condition> ORDER BY f.doc`. */
  select(expr: string): unknown[] {
    const sources = this.compiler.sqlFrom(`${expr} ${this.where}`);
    const sql = `${sources.with}SELECT ${expr} AS v FROM ${sources.from} WHERE ${this.where} ORDER BY f.doc`;
    const statement = this.index.reader().prepare(sql);
    statement.setReturnArrays?.(true);
    const rows = statement.all(this.compiler.bind(sql)) as unknown as unknown[][];
    return rows.map((r) => r[0]);
  }

  docs(): Int32Array {
    this.#docs ??= Int32Array.from(this.select('f.doc') as number[]);
    return this.#docs;
  }
}

type HitRenderer = (source: IndexSource, doc: number, options: Record<string, unknown>) => unknown;

export class SearchAggSource implements AggSource {
  readonly maxBuckets = 65_536;
  readonly now: number;
  readonly indexName: string | undefined;
  readonly #sources: IndexSource[];
  readonly #offsets: number[] = [];
  readonly #size: number;
  readonly #columns = new Map<string, AggColumn | undefined>();
  readonly #render: HitRenderer;

  constructor(sources: IndexSource[], now: number, render: HitRenderer) {
    this.#sources = sources;
    this.now = now;
    this.#render = render;
    this.indexName = sources[0]?.index.name;
    let offset = 0;
    for (const source of sources) {
      this.#offsets.push(offset);
      offset += source.docs().length;
    }
    this.#size = offset;
  }

  get size(): number {
    return this.#size;
  }

  allPositions(): Int32Array {
    const out = new Int32Array(this.#size);
    for (let i = 0; i < out.length; i++) out[i] = i;
    return out;
  }

  #locate(position: number): [IndexSource, number] {
    let i = this.#offsets.length - 1;
    while (i > 0 && this.#offsets[i]! > position) i--;
    const source = this.#sources[i]!;
    return [source, source.docs()[position - this.#offsets[i]!]!];
  }

  column(field: string): AggColumn | undefined {
    if (this.#columns.has(field)) return this.#columns.get(field);
    const column = this.#load(field);
    this.#columns.set(field, column);
    return column;
  }

  #load(field: string): AggColumn | undefined {
    let type: string | undefined;
    let fieldFormat: string | undefined;
    for (const source of this.#sources) {
      const leaf = source.index.mapping.leaf(field);
      if (leaf) {
        type = leaf.type;
        fieldFormat = leaf.def.format as string | undefined;
        break;
      }
    }
    if (type === undefined) return undefined;
    const values: (AggScalar | readonly AggScalar[] | undefined)[] = new Array(this.#size);
    const kind = type;
    const isBool = kind === 'boolean';
    this.#sources.forEach((source, i) => {
      const offset = this.#offsets[i]!;
      const leaf = source.index.mapping.leaf(field);
      const column = source.compiler.column(field);
      if (!leaf || !column) return;
      const raw = source.select(column);
      const docs = source.docs();
      for (let j = 0; j < raw.length; j++) {
        const v = raw[j];
        if (v === null || v === undefined) continue;
        if (v instanceof Uint8Array) {
          if (v.length === 0) {
            const src = source.index.committedSource(docs[j]!);
            const found = src ? valuesAt(JSON.parse(src.toString('utf8')), leaf.multiOf ?? field).map(String) : [];
            values[offset + j] = found.length === 1 ? found[0]! : found.length ? found : undefined;
          } else {
            const list = JSON.parse(Buffer.from(v).toString('utf8')) as AggScalar[];
            values[offset + j] = isBool ? list.map((x) => x === 1 || x === true) : list;
          }
          continue;
        }
        values[offset + j] = isBool ? v === 1 : (v as AggScalar);
      }
    });
    const column: AggColumn = {
      type: kind,
      get: (position) => values[position],
    };
    if (kind === 'date' || kind === 'date_nanos') {
      (column as { formatDate?: AggColumn['formatDate'] }).formatDate = (millis, format, timeZone) => dateFormatter(format ?? fieldFormat)(millis, (timeZone && parseZone(timeZone)) || UTC);
    }
    return column;
  }

  filter(query: unknown, positions: Int32Array): Int32Array {
    const flags = new Uint8Array(this.#size);
    this.#sources.forEach((source, i) => {
      const { w } = source.compiler.compile(query);
      const matched = source.select(`CASE WHEN ${w} THEN 1 ELSE 0 END`);
      const offset = this.#offsets[i]!;
      for (let j = 0; j < matched.length; j++) flags[offset + j] = Number(matched[j]);
    });
    return positions.filter((p) => flags[p] === 1);
  }

  hits(positions: Int32Array, options: Record<string, unknown>): { total: number; hits: unknown[]; maxScore: number | null } {
    const from = Number(options.from ?? 0);
    const size = Number(options.size ?? 3);
    let order = Array.from(positions);
    const sort = options.sort;
    if (sort !== undefined) {
      const specs = (Array.isArray(sort) ? sort : [sort]).flatMap((s) =>
        typeof s === 'string' ? [[s, 'asc'] as const] : Object.entries(s as Record<string, unknown>).map(([f, o]) => [f, typeof o === 'string' ? o : String((o as { order?: string }).order ?? 'asc')] as const),
      );
      const columns = specs.map(([f]) => (f === '_score' || f === '_doc' ? undefined : this.column(f)));
      order = order.sort((a, b) => {
        for (let i = 0; i < specs.length; i++) {
          const col = columns[i];
          if (!col) continue;
          const x = first(col.get(a));
          const y = first(col.get(b));
          if (x === y) continue;
          if (x === undefined) return 1;
          if (y === undefined) return -1;
          const cmp = x < y ? -1 : 1;
          return specs[i]![1] === 'desc' ? -cmp : cmp;
        }
        return a - b;
      });
    }
    const hits = order.slice(from, from + size).map((p) => {
      const [source, doc] = this.#locate(p);
      const hit = this.#render(source, doc, options) as Record<string, unknown>;
      if (sort === undefined) hit._score = 1;
      return hit;
    });
    return { total: positions.length, hits, maxScore: sort === undefined && hits.length ? 1 : null };
  }

  *terms(field: string): Iterable<AggScalar> {
    const seen = new Set<AggScalar>();
    for (const source of this.#sources) {
      const column = source.compiler.column(field);
      if (!column) continue;
      const rows = source.index.reader().prepare(`SELECT DISTINCT ${column.slice(2)} AS v FROM fields WHERE ${column.slice(2)} IS NOT NULL`).all() as { v: unknown }[];
      for (const { v } of rows) {
        const list = v instanceof Uint8Array ? (v.length ? (JSON.parse(Buffer.from(v).toString('utf8')) as AggScalar[]) : []) : [v as AggScalar];
        for (const x of list) {
          if (!seen.has(x)) {
            seen.add(x);
            yield x;
          }
        }
      }
    }
  }
}

function first(value: AggScalar | readonly AggScalar[] | undefined): AggScalar | undefined {
  return Array.isArray(value) ? value[0] : (value as AggScalar | undefined);
}
