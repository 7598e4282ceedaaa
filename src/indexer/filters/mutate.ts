/**
 * `mutate`: Logstash's field operations, applied in Logstash's documented order whatever
 * the order of the keys: coerce, rename, update, replace, convert, gsub, uppercase,
 * capitalize, lowercase, strip, split, join, merge, copy — then the common options
 * (add_field, remove_field, add_tag, remove_tag). Use several mutate filters to get
 * another order.
 */
import { z } from 'zod';
import type { Event } from '../event.ts';
import { type FieldRef, parseFieldRef } from '../field-ref.ts';
import { type CompiledRegex, compileOniguruma } from '../regex/oniguruma.ts';
import { compileTemplate, valueText } from '../sprintf.ts';
import { rubyToFloat, rubyToInt, toBoolean } from '../values.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef, listOf, OptionError, refMap, scalarText, template } from './options.ts';

const CONVERSIONS = ['integer', 'integer_eu', 'float', 'float_eu', 'string', 'boolean'] as const;
type Conversion = (typeof CONVERSIONS)[number];

const gsubSchema = z
  .array(z.union([z.string(), z.array(z.string()).length(3)]))
  .superRefine((list, ctx) => {
    const flat = list.every((item) => typeof item === 'string');
    const triples = list.every((item) => Array.isArray(item));
    if (!(triples || (flat && list.length % 3 === 0))) {
      ctx.addIssue({ code: 'custom', message: 'a list of [field, regex, replacement] triples (or a flat list whose length is a multiple of 3)', input: list });
    }
  })
  .transform((list) => {
    if (list.every((item) => Array.isArray(item))) return list as string[][];
    const out: string[][] = [];
    for (let i = 0; i < list.length; i += 3) out.push(list.slice(i, i + 3) as string[]);
    return out;
  });

export const mutateFilter = defineFilter(
  'mutate',
  {
    coerce: refMap(z.unknown()).optional(),
    rename: refMap(fieldRef()).optional(),
    update: refMap(template()).optional(),
    replace: refMap(z.union([template(), z.number(), z.boolean()])).optional(),
    convert: refMap(z.enum(CONVERSIONS)).optional(),
    gsub: gsubSchema.optional(),
    uppercase: listOf(fieldRef()).optional(),
    capitalize: listOf(fieldRef()).optional(),
    lowercase: listOf(fieldRef()).optional(),
    strip: listOf(fieldRef()).optional(),
    split: refMap(scalarText()).optional(),
    join: refMap(scalarText()).optional(),
    merge: refMap(listOf(fieldRef())).optional(),
    copy: refMap(fieldRef()).optional(),
    tag_on_failure: failureTags('_mutate_error'),
  },
  (options) => {
    const steps: ((event: Event) => void)[] = [];
    const pairs = <T>(map: Record<string, T> | undefined) => Object.entries(map ?? {}).map(([k, v]) => [parseFieldRef(k), v] as const);

    for (const [ref, fallback] of pairs(options.coerce)) {
      steps.push((e) => {
        if (e.get(ref) === null) e.set(ref, structuredClone(fallback));
      });
    }
    for (const [from, to] of pairs(options.rename)) {
      const target = parseFieldRef(to);
      steps.push((e) => {
        if (e.get(from) === undefined) return;
        e.set(target, e.remove(from));
      });
    }
    for (const [ref, text] of pairs(options.update)) {
      const t = compileTemplate(text);
      steps.push((e) => {
        if (e.get(ref) !== undefined) e.set(ref, t.render(e));
      });
    }
    for (const [ref, value] of pairs(options.replace)) {
      if (typeof value !== 'string') steps.push((e) => e.set(ref, value));
      else {
        const t = compileTemplate(value);
        steps.push((e) => e.set(ref, t.render(e)));
      }
    }
    for (const [ref, type] of pairs(options.convert)) {
      const convert = converter(type);
      steps.push((e) => {
        const v = e.get(ref);
        if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v))) return;
        e.set(ref, Array.isArray(v) ? v.map(convert) : convert(v));
      });
    }
    (options.gsub ?? []).forEach(([field, pattern, replacement], index) => {
      let ref: FieldRef;
      let regex: CompiledRegex;
      try {
        ref = parseFieldRef(field!);
      } catch (error) {
        throw new OptionError(['gsub', index], `a field reference (${(error as Error).message})`);
      }
      try {
        regex = compileOniguruma(pattern!, { global: true });
      } catch (error) {
        throw new OptionError(['gsub', index], `a valid regex: ${(error as Error).message}`);
      }
      const replace = replacer(regex, replacement!);
      steps.push((e) => mapStrings(e, ref, (s) => s.replace(regex.regex, replace)));
    });
    const stringStep = (list: string[] | undefined, f: (s: string) => string) => {
      for (const field of list ?? []) {
        const ref = parseFieldRef(field);
        steps.push((e) => mapStrings(e, ref, f));
      }
    };
    stringStep(options.uppercase, (s) => s.toUpperCase());
    stringStep(options.capitalize, (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
    stringStep(options.lowercase, (s) => s.toLowerCase());
    stringStep(options.strip, (s) => s.replace(/^[\s\0]+|[\s\0]+$/g, ''));
    for (const [ref, separator] of pairs(options.split)) {
      steps.push((e) => {
        const v = e.get(ref);
        if (typeof v === 'string') e.set(ref, rubySplit(v, separator));
      });
    }
    for (const [ref, separator] of pairs(options.join)) {
      steps.push((e) => {
        const v = e.get(ref);
        if (Array.isArray(v)) e.set(ref, v.map((item) => valueText(item)).join(separator));
      });
    }
    for (const [dest, sources] of pairs(options.merge)) {
      const refs = sources.map((s) => parseFieldRef(s));
      steps.push((e) => {
        for (const source of refs) merge(e, dest, source);
      });
    }
    for (const [from, to] of pairs(options.copy)) {
      const target = parseFieldRef(to);
      steps.push((e) => {
        const v = e.get(from);
        if (v !== undefined) e.set(target, structuredClone(v));
      });
    }

    const tags = options.tag_on_failure;
    return (event) => {
      try {
        for (const step of steps) step(event);
      } catch {
        for (const tag of tags) event.tag(tag);
        return false;
      }
      return true;
    };
  },
);

function mapStrings(event: Event, ref: FieldRef, f: (s: string) => string): void {
  const v = event.get(ref);
  if (typeof v === 'string') event.set(ref, f(v));
  else if (Array.isArray(v)) event.set(ref, v.map((item) => (typeof item === 'string' ? f(item) : item)));
}

function converter(type: Conversion): (value: unknown) => unknown {
  const number = (text: (v: string) => string, parse: (s: string) => number) => (v: unknown) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number') return parse === rubyToInt ? Math.trunc(v) : v;
    if (typeof v !== 'string') return v;
    return parse(text(v));
  };
  switch (type) {
    case 'integer':
      return number((s) => s.replaceAll(',', ''), rubyToInt);
    case 'integer_eu':
      return number((s) => s.replaceAll('.', '').replace(',', '.'), rubyToInt);
    case 'float':
      return number((s) => s.replaceAll(',', ''), rubyToFloat);
    case 'float_eu':
      return number((s) => s.replaceAll('.', '').replace(',', '.'), rubyToFloat);
    case 'string':
      return (v) => (typeof v === 'string' ? v : valueText(v));
    default:
      return toBoolean;
  }
}

/** Ruby's String#split: a single space splits on runs of whitespace; trailing empties go. */
function rubySplit(text: string, separator: string): string[] {
  const parts = separator === ' ' ? text.trim().split(/\s+/) : text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Logstash's merge: hashes merge; anything else concatenates as lists. */
function merge(event: Event, dest: FieldRef, source: FieldRef): void {
  const d = event.get(dest);
  const s = event.get(source);
  const isHash = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isHash(d) !== isHash(s) && d !== undefined && s !== undefined) return;
  if (isHash(d)) {
    Object.assign(d as object, structuredClone(s));
    return;
  }
  const list = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  event.set(dest, [...list(d), ...structuredClone(list(s))]);
}

/** A replace callback for Ruby replacement text: `\1`, `\0`/`\&`, `\k<name>`, `\\`. */
function replacer(regex: CompiledRegex, replacement: string): (...args: unknown[]) => string {
  const parts: (string | number)[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c !== '\\' || i + 1 >= replacement.length) {
      literal += c;
      continue;
    }
    const e = replacement[i + 1]!;
    let index: number | undefined;
    if (e === '0' || e === '&') index = 0;
    else if (/[1-9]/.test(e)) index = regex.numbered[Number(e) - 1] ?? -1;
    else if (e === 'k') {
      const m = /^<([A-Za-z_][A-Za-z0-9_]*)>/.exec(replacement.slice(i + 2));
      if (m !== null) {
        index = regex.named.find((g) => g.name === m[1])?.index ?? -1;
        i += m[0].length;
      }
    }
    if (index === undefined) {
      literal += e === '\\' ? '\\' : `\\${e}`;
    } else {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(index);
    }
    i++;
  }
  if (literal) parts.push(literal);
  return (...args) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p < 0 ? '' : ((args[p] as string | undefined) ?? '');
    return out;
  };
}
