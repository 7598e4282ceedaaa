/**
 * `dissect`: splits text on the literal delimiters between `%{…}` fields — no regex, so
 * it is fast and cannot backtrack. As documented for Logstash's dissect:
 * * `%{name}` / `%{[a][b]}` — a field; the last field takes the rest of the text;
 * * `%{}`, `%{?name}` — skipped (a named skip can be the key of an indirect field);
 * * `%{+name}`, `%{+name/2}` — appended (in order of the `/n` ordinals), joined with the
 *   delimiter found before each appended part (a space when there is none);
 * * `%{&name}` — stored under the key found by `%{?name}` (or the event's `name`);
 * * `%{name->}` — repeated delimiters after the field are padding and skipped;
 * * consecutive delimiters otherwise mean empty fields.
 * `convert_datatype` (`int`, `float`) runs after every mapping. Text that does not fit a
 * mapping tags `_dissectfailure` and changes no field.
 */
import { z } from 'zod';
import type { Event } from '../event.ts';
import { type FieldRef, fieldRefFromPath, lenientFieldRef, parseFieldRef } from '../field-ref.ts';
import { rubyToFloat, rubyToInt } from '../values.ts';
import { defineFilter } from './filter.ts';
import { failureTags, OptionError, refMap } from './options.ts';

type FieldKind = 'normal' | 'skip' | 'append' | 'indirect';

interface Field {
  kind: FieldKind;
  key: string;
  ordinal: number;
  padding: boolean;
  /** Delimiter before the field ('' when none) and after it ('' for the last field). */
  before: string;
  after: string;
}

interface Dissection {
  source: FieldRef;
  leading: string;
  fields: Field[];
}

export const dissectFilter = defineFilter(
  'dissect',
  {
    mapping: refMap(z.string()).default({}),
    convert_datatype: refMap(z.enum(['int', 'float'])).default({}),
    tag_on_failure: failureTags('_dissectfailure'),
  },
  (options) => {
    const dissections = Object.entries(options.mapping).map(([field, pattern]) => compileDissection(parseFieldRef(field), pattern, field));
    const conversions = Object.entries(options.convert_datatype).map(([field, type]) => [parseFieldRef(field), type === 'int' ? rubyToInt : rubyToFloat] as const);
    const tags = options.tag_on_failure;
    return (event) => {
      let ok = true;
      for (const d of dissections) if (!dissect(event, d)) ok = false;
      for (const [ref, convert] of conversions) {
        const v = event.get(ref);
        if (typeof v === 'string') event.set(ref, convert(v));
      }
      if (!ok) for (const tag of tags) event.tag(tag);
      return ok;
    };
  },
);

export function compileDissection(source: FieldRef, pattern: string, option: string): Dissection {
  const fields: Field[] = [];
  let i = 0;
  let delimiter = '';
  let leading: string | undefined;
  while (i < pattern.length) {
    const start = pattern.indexOf('%{', i);
    if (start === -1) {
      delimiter += pattern.slice(i);
      break;
    }
    const end = pattern.indexOf('}', start);
    if (end === -1) throw new OptionError(['mapping', option], `a closing "}" for the field at column ${start + 1}`, start + 1);
    delimiter += pattern.slice(i, start);
    if (fields.length === 0) leading = delimiter;
    else {
      if (delimiter === '') throw new OptionError(['mapping', option], `a delimiter between two fields (column ${start + 1}): dissect cannot tell where one ends`, start + 1);
      fields[fields.length - 1]!.after = delimiter;
    }
    fields.push(parseField(pattern.slice(start + 2, end), fields.length === 0 ? (leading ?? '') : delimiter, option, start + 1));
    delimiter = '';
    i = end + 1;
  }
  if (fields.length === 0) throw new OptionError(['mapping', option], 'at least one %{field} in the pattern');
  // A trailing delimiter after the last field must be present (the rest after it is ignored).
  fields[fields.length - 1]!.after = delimiter;
  return { source, leading: leading ?? '', fields };
}

function parseField(spec: string, before: string, option: string, column: number): Field {
  let text = spec;
  let kind: FieldKind = 'normal';
  const padding = text.endsWith('->');
  if (padding) text = text.slice(0, -2);
  if (text === '' || text.startsWith('?') || text.startsWith('*')) kind = 'skip';
  else if (text.startsWith('+')) kind = 'append';
  else if (text.startsWith('&')) kind = 'indirect';
  if (kind !== 'normal' && text !== '') text = text.slice(1);
  let ordinal = 0;
  const ordered = /\/(\d+)$/.exec(text);
  if (kind === 'append' && ordered !== null) {
    ordinal = Number(ordered[1]);
    text = text.slice(0, -ordered[0].length);
  }
  if (kind !== 'skip' && text === '') throw new OptionError(['mapping', option], `a field name in %{${spec}} at column ${column}`, column);
  if (kind === 'normal' || kind === 'append') {
    try {
      parseFieldRef(text);
    } catch (error) {
      throw new OptionError(['mapping', option], `a field reference in %{${spec}} (${(error as Error).message})`, column);
    }
  }
  return { kind, key: text, ordinal, padding, before, after: '' };
}

function dissect(event: Event, d: Dissection): boolean {
  const value = event.get(d.source);
  if (typeof value !== 'string') return false;
  const text = value;
  if (!text.startsWith(d.leading)) return false;
  let pos = d.leading.length;
  const found: string[] = [];
  const last = d.fields.length - 1;
  for (let i = 0; i <= last; i++) {
    const field = d.fields[i]!;
    if (i === last && field.after === '') {
      found.push(text.slice(pos));
      break;
    }
    const at = text.indexOf(field.after, pos);
    if (at === -1) return false;
    found.push(text.slice(pos, at));
    pos = at + field.after.length;
    if (field.padding) while (field.after !== '' && text.startsWith(field.after, pos)) pos += field.after.length;
  }
  // All delimiters matched: write the fields.
  const skipped = new Map<string, string>();
  const appends = new Map<string, { ordinal: number; index: number; value: string; before: string }[]>();
  d.fields.forEach((field, index) => {
    const v = found[index]!;
    if (field.kind === 'skip') {
      if (field.key !== '') skipped.set(field.key, v);
    } else if (field.kind === 'append' || (field.kind === 'normal' && d.fields.some((f) => f.kind === 'append' && f.key === field.key))) {
      const list = appends.get(field.key) ?? [];
      list.push({ ordinal: field.ordinal, index, value: v, before: field.before === '' ? ' ' : field.before });
      appends.set(field.key, list);
    } else if (field.kind === 'normal') {
      event.set(parseFieldRef(field.key), v);
    }
  });
  for (const [key, parts] of appends) {
    parts.sort((a, b) => a.ordinal - b.ordinal || a.index - b.index);
    const ref = parseFieldRef(key);
    const hasBase = d.fields.some((f) => f.kind === 'normal' && f.key === key);
    const existing = event.get(ref);
    let out = !hasBase && typeof existing === 'string' ? existing : undefined;
    for (const part of parts) out = out === undefined ? part.value : out + part.before + part.value;
    event.set(ref, out);
  }
  d.fields.forEach((field, index) => {
    if (field.kind !== 'indirect') return;
    const key = skipped.get(field.key) ?? event.get(lenientFieldRef(field.key));
    if (typeof key === 'string' && key !== '') event.set(fieldRefFromPath([key]), found[index]!);
  });
  return true;
}
