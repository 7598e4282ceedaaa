/**
 * `highlight` for text fields: the words the query matched on a field (collected by the
 * compiler) are wrapped in `pre_tags`/`post_tags` in the field's `_source` text; the text
 * is cut into fragments of about `fragment_size` characters around matches, at most
 * `number_of_fragments` of them (0: the whole value), in text order.
 */
import type { IndexDb } from '../engine/index-db.ts';
import { parsingError } from '../errors.ts';
import { TEXT_TYPES } from '../mapping/types.ts';
import { valuesAt } from '../mapping/values.ts';

interface Options {
  pre_tags?: string[];
  post_tags?: string[];
  fragment_size?: number;
  number_of_fragments?: number;
  require_field_match?: boolean;
}

export function highlightHit(index: IndexDb, source: unknown, spec: unknown, terms: ReadonlyMap<string, Set<string>>): Record<string, string[]> {
  if (typeof spec !== 'object' || spec === null) throw parsingError('[highlight] must be an object');
  const top = spec as Options & { fields?: unknown };
  const fieldsSpec = top.fields;
  const entries: [string, Options][] = Array.isArray(fieldsSpec)
    ? fieldsSpec.flatMap((f) => Object.entries(f as Record<string, Options>))
    : Object.entries((fieldsSpec ?? {}) as Record<string, Options>);
  const out: Record<string, string[]> = {};
  const allTerms = new Set<string>();
  for (const set of terms.values()) for (const t of set) allTerms.add(t);
  for (const [pattern, own] of entries) {
    const options = { ...top, ...(own ?? {}) };
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const paths = pattern.includes('*') ? [...index.mapping.leaves.keys()].filter((p) => regex.test(p)) : [pattern];
    for (const path of paths) {
      const leaf = index.mapping.leaf(path);
      if (!leaf || !TEXT_TYPES.has(leaf.type)) continue;
      const words = options.require_field_match === false ? allTerms : terms.get(path);
      if (!words || words.size === 0) continue;
      const fragments: string[] = [];
      for (const value of valuesAt(source, path)) {
        if (typeof value !== 'string') continue;
        fragments.push(...highlightText(value, words, options));
      }
      const max = options.number_of_fragments ?? 5;
      if (fragments.length > 0) out[path] = max === 0 ? fragments : fragments.slice(0, max);
    }
  }
  return out;
}

function highlightText(text: string, words: ReadonlySet<string>, options: Options): string[] {
  const pre = options.pre_tags?.[0] ?? '<em>';
  const post = options.post_tags?.[0] ?? '</em>';
  const matches: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (words.has(m[0].toLowerCase())) matches.push([m.index, m.index + m[0].length]);
  }
  if (matches.length === 0) return [];
  const mark = (start: number, end: number) => {
    let out = '';
    let at = start;
    for (const [s, e] of matches) {
      if (s < start || e > end) continue;
      out += text.slice(at, s) + pre + text.slice(s, e) + post;
      at = e;
    }
    return out + text.slice(at, end);
  };
  const size = options.fragment_size ?? 100;
  if (options.number_of_fragments === 0 || text.length <= size) return [mark(0, text.length)];
  const fragments: string[] = [];
  let covered = -1;
  for (const [s, e] of matches) {
    if (s < covered) continue;
    let start = Math.max(0, s - Math.floor((size - (e - s)) / 2));
    while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
    let end = Math.min(text.length, start + size);
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    if (end < e) end = e;
    fragments.push(mark(start, end).trim());
    covered = end;
  }
  return fragments;
}
