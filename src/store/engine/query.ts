/**
 * The query DSL for `_count` and the by-query writes: the search compiler
 * (search/compile.ts) without scores. The SQL runs over `fields f`, joined with
 * `docs d` when the condition needs it (`fromClause`).
 */
import { type Param, SearchCompiler } from '../search/compile.ts';
import type { IndexDb } from './index-db.ts';

export interface CompiledQuery {
  where: string;
  params: Record<string, Param>;
  /** True when the query is match_all (counts can use the live document counter). */
  matchAll: boolean;
  /** `FROM ...` for the condition. */
  from: string;
}

/** Compiles for the read connection (committed data; the full-text index is attached there). */
export function compileQuery(index: IndexDb, query: unknown, now = Date.now()): CompiledQuery {
  if (query === undefined || query === null) return { where: '1', params: {}, matchAll: true, from: 'fields f' };
  const compiler = new SearchCompiler(index, { now, db: index.reader() });
  const { w } = compiler.compile(query);
  return { where: w, params: compiler.bind(w), matchAll: w === '1', from: fromClause(compiler.usesDocs) };
}

export function fromClause(usesDocs: boolean): string {
  return usesDocs ? 'fields f JOIN docs d ON d.doc = f.doc' : 'fields f';
}
