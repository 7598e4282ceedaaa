/**
 * `filter_path`: keeps only the parts of a response named by comma-separated dotted
 * paths, with `*` (one level, or part of a name) and `**` (any depth) wildcards; a path
 * starting with `-` removes instead. Empty objects and arrays left by filtering disappear,
 * as in Elasticsearch.
 */

type Pattern = string[];

export function filterPath(value: unknown, filter: string): unknown {
  const specs = filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const include = specs.filter((s) => !s.startsWith('-')).map(split);
  const exclude = specs.filter((s) => s.startsWith('-')).map((s) => split(s.slice(1)));
  let out = include.length ? keep(value, include) : value;
  if (exclude.length && out !== undefined) out = drop(out, exclude);
  return out === undefined ? {} : out;
}

function split(path: string): Pattern {
  return path.split('.');
}

function nameMatches(pattern: string, name: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('*')) return pattern === name;
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
}

/** Patterns that continue below a key, or null when one of them ends there (keep everything below). */
function advance(patterns: Pattern[], key: string): Pattern[] | null {
  const next: Pattern[] = [];
  for (const p of patterns) {
    if (p.length === 0) return null;
    const [head, ...rest] = p;
    if (head === '**') {
      next.push(p); // ** may span this level
      if (rest.length && nameMatches(rest[0]!, key)) {
        if (rest.length === 1) return null;
        next.push(rest.slice(1));
      } else if (rest.length === 0) return null;
      continue;
    }
    if (nameMatches(head!, key)) {
      if (rest.length === 0) return null;
      next.push(rest);
    }
  }
  return next;
}

function keep(value: unknown, patterns: Pattern[]): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => keep(v, patterns)).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const next = advance(patterns, key);
    if (next === null) out[key] = child;
    else if (next.length) {
      const kept = keep(child, next);
      if (kept !== undefined) out[key] = kept;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function drop(value: unknown, patterns: Pattern[]): unknown {
  if (Array.isArray(value)) return value.map((v) => drop(v, patterns));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const next = advance(patterns, key);
    if (next === null) continue;
    out[key] = next.length ? drop(child, next) : child;
  }
  return out;
}
