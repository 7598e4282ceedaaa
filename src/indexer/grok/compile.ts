/**
 * Compiling a grok expression: `%{NAME}`, `%{NAME:field}` and `%{NAME:field:int|float}`
 * are expanded from the pattern library (recursively, each in its own group), then the
 * whole Oniguruma regex is compiled once (regex/oniguruma.ts). Captures are named groups
 * with internal names, mapped back to field references and types; inline named groups
 * written by users (`(?<queue_id>[0-9A-F]+)`) capture into the field of that name, as in
 * Logstash.
 */
import { type FieldRef, parseFieldRef } from '../field-ref.ts';
import { type CompiledRegex, compileOniguruma, type RegexEngine } from '../regex/oniguruma.ts';
import type { PatternLibrary } from './library.ts';
import { closest } from '../../config/suggest.ts';

export type CaptureType = 'string' | 'int' | 'float';

export interface GrokCapture {
  /** Index in the regex's exec results. */
  readonly index: number;
  /** The field name as written (`response`, `[http][status]`). */
  readonly field: string;
  readonly ref: FieldRef;
  readonly type: CaptureType;
}

export interface CompiledGrok {
  readonly expression: string;
  readonly regex: RegExp;
  readonly engine: RegexEngine;
  readonly captures: readonly GrokCapture[];
  /** Length of the expanded regex source (for diagnostics and benchmarks). */
  readonly expandedLength: number;
}

export class GrokPatternError extends Error {
  readonly expression: string;
  /** What is wrong, without the position. */
  readonly reason: string;
  /** 1-based column in the expression, when the problem is located in it. */
  readonly column: number | undefined;
  constructor(expression: string, reason: string, column?: number) {
    super(column === undefined ? reason : `${reason} (column ${column})`);
    this.name = 'GrokPatternError';
    this.expression = expression;
    this.reason = reason;
    this.column = column;
  }
}

export interface CompileGrokOptions {
  /** Capture only `%{NAME:field}` (default); when false, `%{NAME}` captures into NAME. */
  namedCapturesOnly?: boolean;
  engine?: 'auto' | RegexEngine;
}

const REFERENCE = /%\{(\w+)(?::([^:{}]+))?(?::(\w+))?\}/g;
const GROUP_PREFIX = '__grok';
const TYPES: Record<string, CaptureType> = { int: 'int', integer: 'int', float: 'float', string: 'string' };
const MAX_DEPTH = 64;

export function compileGrok(expression: string, library: PatternLibrary, options: CompileGrokOptions = {}): CompiledGrok {
  const namedOnly = options.namedCapturesOnly ?? true;
  const specs: { field: string; ref: FieldRef; type: CaptureType }[] = [];

  const expand = (text: string, stack: readonly string[]): string =>
    text.replace(REFERENCE, (whole, name: string, field: string | undefined, type: string | undefined, offset: number) => {
      const at = stack.length === 0 ? offset + 1 : undefined;
      const where = stack.length === 0 ? '' : ` (in pattern ${stack[stack.length - 1]})`;
      const definition = library.get(name);
      if (definition === undefined) {
        const hint = suggest(name, library);
        throw new GrokPatternError(expression, `unknown grok pattern ${name}${where}${hint}`, at);
      }
      if (stack.includes(name)) throw new GrokPatternError(expression, `pattern ${name} refers to itself (${[...stack, name].join(' → ')})`, at);
      if (stack.length >= MAX_DEPTH) throw new GrokPatternError(expression, `patterns nest deeper than ${MAX_DEPTH} levels at ${name}`, at);
      const inner = expand(definition, [...stack, name]);
      const captureField = field ?? (namedOnly ? undefined : name);
      if (captureField === undefined) {
        if (type !== undefined) throw new GrokPatternError(expression, `${whole} has a type but no field name; write %{${name}:field:${type}}`, at);
        return `(?:${inner})`;
      }
      const captureType = type === undefined ? 'string' : TYPES[type];
      if (captureType === undefined) throw new GrokPatternError(expression, `unknown capture type "${type}" in ${whole}${where}; use int or float`, at);
      let ref: FieldRef;
      try {
        ref = parseFieldRef(captureField);
      } catch (error) {
        throw new GrokPatternError(expression, `${(error as Error).message} in ${whole}${where}`, at);
      }
      specs.push({ field: captureField, ref, type: captureType });
      return `(?<${GROUP_PREFIX}${specs.length - 1}>${inner})`;
    });

  const expanded = expand(expression, []);
  let compiled: CompiledRegex;
  try {
    compiled = compileOniguruma(expanded, { engine: options.engine ?? 'auto' });
  } catch (error) {
    throw new GrokPatternError(expression, (error as Error).message.replace(/^invalid regular expression ".*": /s, 'invalid regular expression: '));
  }
  const captures: GrokCapture[] = [];
  for (const group of compiled.named) {
    if (group.name.startsWith(GROUP_PREFIX)) {
      const spec = specs[Number(group.name.slice(GROUP_PREFIX.length))]!;
      captures.push({ index: group.index, ...spec });
    } else {
      captures.push({ index: group.index, field: group.name, ref: parseFieldRef(group.name), type: 'string' });
    }
  }
  return { expression, regex: compiled.regex, engine: compiled.engine, captures, expandedLength: expanded.length };
}

function suggest(name: string, library: PatternLibrary): string {
  const upper = name.toUpperCase();
  if (upper !== name && library.has(upper)) return `; did you mean ${upper}?`;
  const best = closest(upper, library.names(), 4);
  return best === undefined ? '' : `; did you mean ${best}?`;
}
