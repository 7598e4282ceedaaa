/**
 * Logstash's sprintf format: `%{[a][b]}` or `%{name}` insert a field, `%{+yyyy.MM.dd}`
 * formats `@timestamp` in UTC with a Joda pattern, `%{+%s}` gives epoch seconds.
 *
 * As in Logstash: a missing field leaves the `%{...}` text as it is; lists are joined
 * with commas; objects are written as JSON. Templates are compiled once.
 */
import type { Event } from './event.ts';
import { type FieldRef, parseFieldRef } from './field-ref.ts';
import { compileJodaFormatter } from './time/joda-format.ts';

export interface Template {
  readonly source: string;
  /** True when the template has no `%{...}` (render always returns the source). */
  readonly constant: boolean;
  render(event: Event): string;
}

export class TemplateSyntaxError extends Error {
  readonly template: string;
  /** 1-based column of the problem. */
  readonly column: number;
  constructor(template: string, column: number, reason: string) {
    super(`invalid template ${JSON.stringify(template)} at column ${column}: ${reason}`);
    this.name = 'TemplateSyntaxError';
    this.template = template;
    this.column = column;
  }
}

type Part = string | ((event: Event) => string);

const cache = new Map<string, Template>();

/** Compiles a template; throws TemplateSyntaxError (bad field reference or date pattern). */
export function compileTemplate(source: string): Template {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const parts = parse(source);
  let template: Template;
  if (parts.length === 0 || (parts.length === 1 && typeof parts[0] === 'string')) {
    template = { source, constant: true, render: () => source };
  } else if (parts.length === 1) {
    const only = parts[0] as (event: Event) => string;
    template = { source, constant: false, render: only };
  } else {
    template = {
      source,
      constant: false,
      render(event) {
        let out = '';
        for (const p of parts) out += typeof p === 'string' ? p : p(event);
        return out;
      },
    };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(source, template);
  return template;
}

/** Renders a template against an event (compiling and caching it). */
export function sprintf(event: Event, source: string): string {
  if (!source.includes('%{')) return source;
  return compileTemplate(source).render(event);
}

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const start = source.indexOf('%{', i);
    if (start === -1) {
      parts.push(source.slice(i));
      break;
    }
    const end = source.indexOf('}', start + 2);
    if (end === -1) {
      parts.push(source.slice(i));
      break;
    }
    if (start > i) parts.push(source.slice(i, start));
    const inner = source.slice(start + 2, end);
    const raw = source.slice(start, end + 1);
    if (inner.startsWith('+')) parts.push(datePart(source, start, inner.slice(1), raw));
    else parts.push(fieldPart(source, start, inner, raw));
    i = end + 1;
  }
  return parts;
}

function datePart(source: string, start: number, pattern: string, raw: string): Part {
  if (pattern === '%s') {
    return (event) => {
      const ms = event.timestamp;
      return Number.isNaN(ms) ? raw : String(Math.floor(ms / 1000));
    };
  }
  let format: (ms: number) => string;
  try {
    format = compileJodaFormatter(pattern);
  } catch (error) {
    throw new TemplateSyntaxError(source, start + 4, (error as Error).message);
  }
  return (event) => {
    const ms = event.timestamp;
    return Number.isNaN(ms) ? raw : format(ms);
  };
}

function fieldPart(source: string, start: number, inner: string, raw: string): Part {
  let ref: FieldRef;
  try {
    ref = parseFieldRef(inner);
  } catch (error) {
    throw new TemplateSyntaxError(source, start + 3, (error as Error).message);
  }
  return (event) => {
    const value = event.get(ref);
    return value === undefined || value === null ? raw : valueText(value);
  };
}

/** How a field value is written into text (Logstash's rules). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
