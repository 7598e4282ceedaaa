/**
 * Index expressions as Elasticsearch resolves them: comma lists, `*` wildcards,
 * `-exclusions`, `_all`, date math (`<logs-{now/d}>`), aliases and data streams, with
 * `ignore_unavailable`, `allow_no_indices` and `expand_wildcards`.
 */
import { indexNotFound } from '../errors.ts';
import { matches } from '../mapping/dynamic.ts';
import type { Catalog } from './catalog.ts';
import { resolveDateMath } from './date-math.ts';
import type { IndexDb } from './index-db.ts';
import type { Indices } from './indices.ts';

export interface DataStreamRecord {
  name: string;
  timestamp_field: { name: string };
  indices: { index_name: string; index_uuid: string }[];
  generation: number;
  template: string;
  hidden: boolean;
  system: boolean;
  status: string;
  _meta?: Record<string, unknown>;
}

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  /** open (default), closed, hidden, all, none */
  expandWildcards?: string;
}

export function isHidden(index: IndexDb): boolean {
  return index.meta.settings['index.hidden'] === 'true' || index.meta.dataStream !== null;
}

/** The indices an expression names (sorted, no duplicates). */
export function resolveIndices(indices: Indices, catalog: Catalog, expression: string | undefined, options: ResolveOptions = {}): IndexDb[] {
  const expand = new Set((options.expandWildcards ?? 'open').split(',').map((s) => s.trim()));
  const allowNoIndices = options.allowNoIndices ?? true;
  const parts = !expression || expression === '_all' ? ['*'] : splitExpression(expression);
  const selected = new Map<string, IndexDb>();
  const aliases = indices.aliases();
  const streams = catalog.list<DataStreamRecord>('data_stream');
  let sawWildcard = false;
  for (const raw of parts) {
    if (raw.startsWith('-') && sawWildcard) {
      const pattern = resolveDateMath(raw.slice(1));
      for (const [name, index] of [...selected]) {
        if (matches(pattern, name) || [...Object.keys(index.meta.aliases)].some((a) => matches(pattern, a)) || (index.meta.dataStream && matches(pattern, index.meta.dataStream))) {
          selected.delete(name);
        }
      }
      continue;
    }
    const part = resolveDateMath(raw);
    if (part.includes('*')) {
      sawWildcard = true;
      if (expand.has('none')) continue;
      const includeHidden = expand.has('hidden') || expand.has('all') || (part.startsWith('.') && part !== '*');
      const includeOpen = expand.has('open') || expand.has('all');
      const includeClosed = expand.has('closed') || expand.has('all');
      const accept = (index: IndexDb, viaParent = false) => {
        if (!viaParent && isHidden(index) && !includeHidden) return false;
        return index.meta.state === 'open' ? includeOpen : includeClosed;
      };
      for (const index of indices.all()) if (matches(part, index.name) && accept(index)) selected.set(index.name, index);
      for (const [alias, members] of aliases) {
        if (!matches(part, alias)) continue;
        for (const index of members) if (accept(index, !alias.startsWith('.'))) selected.set(index.name, index);
      }
      for (const [name, stream] of streams) {
        if (!matches(part, name) || (stream.hidden && !includeHidden)) continue;
        for (const ref of stream.indices) {
          const index = indices.get(ref.index_name);
          if (index && accept(index, true)) selected.set(index.name, index);
        }
      }
      continue;
    }
    const direct = indices.get(part);
    if (direct) {
      selected.set(direct.name, direct);
      continue;
    }
    const viaAlias = aliases.get(part);
    if (viaAlias) {
      for (const index of viaAlias) selected.set(index.name, index);
      continue;
    }
    const stream = streams.get(part);
    if (stream) {
      for (const ref of stream.indices) {
        const index = indices.get(ref.index_name);
        if (index) selected.set(index.name, index);
      }
      continue;
    }
    if (!options.ignoreUnavailable) throw indexNotFound(part);
  }
  if (selected.size === 0 && !allowNoIndices) throw indexNotFound(expression && expression !== '_all' ? expression : '_all');
  return [...selected.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Splits a comma list, keeping commas inside date math `<...>` together. */
export function splitExpression(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of expression) {
    if (c === '<') depth++;
    if (c === '>') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
