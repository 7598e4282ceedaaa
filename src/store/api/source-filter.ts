/** `_source` filtering: `_source=false`, `_source=a,b.*`, `_source_includes`, `_source_excludes` (dotted paths, `*` wildcards). */

export interface SourceFilter {
  includes: string[];
  excludes: string[];
}

/** null: the whole source; false: no source; otherwise the filter. */
export function sourceFilterFromQuery(query: Record<string, string>): SourceFilter | false | null {
  const source = query._source;
  if (source === 'false') return false;
  const includes = [...(source && source !== 'true' ? source.split(',') : []), ...(query._source_includes?.split(',') ?? [])].filter(Boolean);
  const excludes = (query._source_excludes?.split(',') ?? []).filter(Boolean);
  if (includes.length === 0 && excludes.length === 0) return null;
  return { includes, excludes };
}

export function filterSource(source: unknown, filter: SourceFilter | { includes?: string[]; excludes?: string[] } | string[] | string): unknown {
  const spec = typeof filter === 'string' ? { includes: [filter], excludes: [] } : Array.isArray(filter) ? { includes: filter, excludes: [] } : filter;
  const includes = (spec.includes ?? []).map(toRegex);
  const excludes = (spec.excludes ?? []).map(toRegex);
  return walk(source, '', includes, excludes) ?? {};
}

function toRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function walk(node: unknown, path: string, includes: RegExp[], excludes: RegExp[]): unknown {
  if (Array.isArray(node)) {
    const out = node.map((n) => walk(n, path, includes, excludes)).filter((n) => n !== undefined);
    return out.length || node.length === 0 ? out : undefined;
  }
  if (node === null || typeof node !== 'object') {
    if (excludes.some((r) => r.test(path))) return undefined;
    if (includes.length && !includes.some((r) => r.test(path))) return undefined;
    return node;
  }
  if (path && excludes.some((r) => r.test(path))) return undefined;
  const fullyIncluded = path && includes.some((r) => r.test(path));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const child = path ? `${path}.${key}` : key;
    const kept = fullyIncluded ? walk(value, child, [], excludes) : walk(value, child, includes, excludes);
    if (kept !== undefined) out[key] = kept;
  }
  if (path && Object.keys(out).length === 0 && !fullyIncluded) return undefined;
  return out;
}
