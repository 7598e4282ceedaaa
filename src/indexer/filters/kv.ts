/**
 * `kv`: `key=value` pairs out of text (`source`, default `message`), into the event root
 * or `target`. Options as in Logstash: `field_split` / `value_split` (sets of single
 * characters, default " " and "="), or `field_split_pattern` / `value_split_pattern`
 * (regexes); quoted values ("…", '…') and, with `include_brackets` (default), values in
 * (…), […], <…>; `trim_key`/`trim_value`, `remove_char_key`/`remove_char_value`,
 * `transform_key`/`transform_value`, `prefix`, `include_keys`/`exclude_keys`,
 * `default_keys`, `allow_duplicate_values`, `allow_empty_values`, `recursive` (bracketed
 * values holding pairs become objects), `whitespace` lenient (spaces around the value
 * separator allowed) or strict. A source that is not text tags `_kv_filter_error`.
 *
 * A hand-written scanner, linear in the input: no regex backtracking to time out.
 */
import { z } from 'zod';
import { fieldRefFromPath, parseFieldRef } from '../field-ref.ts';
import { compileOniguruma } from '../regex/oniguruma.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef, OptionError } from './options.ts';

const TRANSFORMS = ['lowercase', 'uppercase', 'capitalize'] as const;
type Transform = (typeof TRANSFORMS)[number];

/** Length of a separator at `pos` (0 when there is none). */
type Separator = (text: string, pos: number) => number;

const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '(': ')', '[': ']', '<': '>' };

export const kvFilter = defineFilter(
  'kv',
  {
    source: fieldRef().default('message'),
    target: fieldRef().optional(),
    field_split: z.string().min(1).default(' '),
    value_split: z.string().min(1).default('='),
    field_split_pattern: z.string().min(1).optional(),
    value_split_pattern: z.string().min(1).optional(),
    include_keys: z.array(z.string()).default([]),
    exclude_keys: z.array(z.string()).default([]),
    default_keys: z.record(z.string(), z.unknown()).default({}),
    trim_key: z.string().optional(),
    trim_value: z.string().optional(),
    remove_char_key: z.string().optional(),
    remove_char_value: z.string().optional(),
    transform_key: z.enum(TRANSFORMS).optional(),
    transform_value: z.enum(TRANSFORMS).optional(),
    prefix: z.string().default(''),
    include_brackets: z.boolean().default(true),
    allow_duplicate_values: z.boolean().default(true),
    allow_empty_values: z.boolean().default(false),
    recursive: z.boolean().default(false),
    whitespace: z.enum(['lenient', 'strict']).default('lenient'),
    /** Accepted for Logstash compatibility: the scanner is linear, nothing to time out. */
    timeout_millis: z.number().optional(),
    tag_on_failure: failureTags('_kv_filter_error'),
    tag_on_timeout: z.string().optional(),
  },
  (options) => {
    const source = parseFieldRef(options.source);
    const target = options.target === undefined ? undefined : parseFieldRef(options.target);
    const fieldSplit = separator(options.field_split_pattern, options.field_split, 'field_split_pattern');
    const valueSplit = separator(options.value_split_pattern, options.value_split, 'value_split_pattern');
    const include = new Set(options.include_keys);
    const exclude = new Set(options.exclude_keys);
    const lenient = options.whitespace === 'lenient';
    const keyText = cleaner(options.trim_key, options.remove_char_key, options.transform_key);
    const valueTextOf = cleaner(options.trim_value, options.remove_char_value, options.transform_value);
    const defaults = Object.entries(options.default_keys);
    const tags = options.tag_on_failure;

    const parse = (text: string, into: Record<string, unknown>): void => {
      let pos = 0;
      const n = text.length;
      while (pos < n) {
        let step = fieldSplit(text, pos);
        if (step > 0) {
          pos += step;
          continue;
        }
        // key: up to a value separator or a field separator
        const keyStart = pos;
        while (pos < n && valueSplit(text, pos) === 0 && fieldSplit(text, pos) === 0) pos++;
        let key = text.slice(keyStart, pos);
        let look = pos;
        if (lenient) while (look < n && (text[look] === ' ' || text[look] === '\t')) look++;
        step = look < n ? valueSplit(text, look) : 0;
        if (step === 0) continue; // a word without a value
        pos = look + step;
        if (lenient) {
          key = key.trimEnd();
          while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
        }
        let value: string;
        let bracketed = false;
        const open = text[pos];
        const close = open === undefined ? undefined : CLOSERS[open];
        const closeAt = close === undefined ? -1 : text.indexOf(close, pos + 1);
        if (close !== undefined && closeAt !== -1 && (open === '"' || open === "'" || options.include_brackets)) {
          value = text.slice(pos + 1, closeAt);
          bracketed = open !== '"' && open !== "'";
          pos = closeAt + 1;
        } else {
          const valueStart = pos;
          while (pos < n && fieldSplit(text, pos) === 0) pos++;
          value = text.slice(valueStart, pos);
        }
        key = keyText(key);
        if (key === '' || (include.size > 0 && !include.has(key)) || exclude.has(key)) continue;
        let parsed: unknown = valueTextOf(value);
        if (parsed === '' && !options.allow_empty_values) continue;
        if (options.recursive && bracketed && hasPair(value)) {
          const inner: Record<string, unknown> = {};
          parse(value, inner);
          parsed = inner;
        }
        add(into, options.prefix + key, parsed);
      }
    };

    const hasPair = (text: string) => {
      for (let i = 0; i < text.length; i++) if (valueSplit(text, i) > 0) return true;
      return false;
    };

    const add = (into: Record<string, unknown>, key: string, value: unknown) => {
      if (!Object.hasOwn(into, key)) {
        into[key] = value;
        return;
      }
      const existing = into[key];
      const list = Array.isArray(existing) ? existing : [existing];
      if (!options.allow_duplicate_values && list.includes(value)) return;
      list.push(value);
      into[key] = list;
    };

    return (event) => {
      const raw = event.get(source);
      if (raw === undefined || raw === null) return false;
      const texts = Array.isArray(raw) ? raw : [raw];
      if (!texts.every((t) => typeof t === 'string')) {
        for (const tag of tags) event.tag(tag);
        return false;
      }
      const result: Record<string, unknown> = {};
      for (const text of texts as string[]) parse(text, result);
      for (const [key, value] of defaults) if (!Object.hasOwn(result, key)) result[key] = value;
      if (target !== undefined) {
        const existing = event.get(target);
        if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) Object.assign(existing, result);
        else event.set(target, result);
      } else {
        for (const [key, value] of Object.entries(result)) event.set(fieldRefFromPath([key]), value);
      }
      return true;
    };
  },
);

function separator(pattern: string | undefined, chars: string, option: string): Separator {
  if (pattern !== undefined) {
    let regex: RegExp;
    try {
      const compiled = compileOniguruma(pattern);
      regex = new RegExp(compiled.regex.source, `${compiled.regex.flags.replace('g', '')}y`);
    } catch (error) {
      throw new OptionError([option], `a valid regex: ${(error as Error).message}`);
    }
    return (text, pos) => {
      regex.lastIndex = pos;
      const m = regex.exec(text);
      return m === null ? 0 : m[0].length;
    };
  }
  if (chars.length === 1) {
    const code = chars.charCodeAt(0);
    return (text, pos) => (text.charCodeAt(pos) === code ? 1 : 0);
  }
  const set = new Set(chars);
  return (text, pos) => (set.has(text[pos]!) ? 1 : 0);
}

function cleaner(trim: string | undefined, remove: string | undefined, transform: Transform | undefined): (text: string) => string {
  const escaped = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');
  const trimRegex = trim ? new RegExp(`^[${escaped(trim)}]+|[${escaped(trim)}]+$`, 'g') : undefined;
  const removeRegex = remove ? new RegExp(`[${escaped(remove)}]`, 'g') : undefined;
  return (text) => {
    let out = text;
    if (trimRegex) out = out.replace(trimRegex, '');
    if (removeRegex) out = out.replace(removeRegex, '');
    if (transform === 'lowercase') out = out.toLowerCase();
    else if (transform === 'uppercase') out = out.toUpperCase();
    else if (transform === 'capitalize') out = out.charAt(0).toUpperCase() + out.slice(1);
    return out;
  };
}
