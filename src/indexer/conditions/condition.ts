/**
 * Compiled conditionals: `compileCondition('[status] >= 500 and "web" in [tags]')`
 * returns a function of an event. Parsing errors are ConditionSyntaxError (with column);
 * evaluation never throws.
 *
 * Semantics (Logstash's, with the departures marked *):
 * * `[field]` alone is true when the field exists and is not `false` or null.
 * * `==`/`!=` compare deeply (lists, objects). *A number and a numeric string compare
 *   as numbers (`[status] == 200` holds for grok's string "200").
 * * `<`, `>`, `<=`, `>=` compare numbers, or strings lexicographically; *a numeric string
 *   against a number compares as numbers; anything else is false (Logstash raises).
 * * `=~` matches strings (*and numbers, as text); `!~` is its negation (true for a
 *   missing field).
 * * `in` tests membership in a list, a substring of a string, or a key of an object.
 */
import type { Event } from '../event.ts';
import type { CompiledRegex } from '../regex/oniguruma.ts';
import { ConditionSyntaxError } from './lexer.ts';
import { type Expr, parseCondition, type Value } from './parser.ts';

export { ConditionSyntaxError };

export type Condition = (event: Event) => boolean;
type Getter = (event: Event) => unknown;

/** Parses and compiles a condition; throws ConditionSyntaxError. */
export function compileCondition(text: string): Condition {
  return compileExpr(parseCondition(text));
}

function compileExpr(expr: Expr): Condition {
  switch (expr.type) {
    case 'or': {
      const [l, r] = [compileExpr(expr.left), compileExpr(expr.right)];
      return (e) => l(e) || r(e);
    }
    case 'and': {
      const [l, r] = [compileExpr(expr.left), compileExpr(expr.right)];
      return (e) => l(e) && r(e);
    }
    case 'nand': {
      const [l, r] = [compileExpr(expr.left), compileExpr(expr.right)];
      return (e) => !(l(e) && r(e));
    }
    case 'xor': {
      const [l, r] = [compileExpr(expr.left), compileExpr(expr.right)];
      return (e) => l(e) !== r(e);
    }
    case 'not': {
      const operand = compileExpr(expr.operand);
      return (e) => !operand(e);
    }
    case 'truthy': {
      const get = compileValue(expr.value);
      return (e) => {
        const v = get(e);
        return v !== undefined && v !== null && v !== false;
      };
    }
    case 'compare':
      return compileCompare(expr.op, compileValue(expr.left), compileValue(expr.right));
    case 'match': {
      const get = compileValue(expr.left);
      const test = matcher(expr.regex);
      return expr.negate ? (e) => !test(get(e)) : (e) => test(get(e));
    }
    case 'in': {
      const [l, r] = [compileValue(expr.left), compileValue(expr.right)];
      return expr.negate ? (e) => !contains(r(e), l(e)) : (e) => contains(r(e), l(e));
    }
  }
}

function compileValue(value: Value): Getter {
  switch (value.type) {
    case 'field': {
      const ref = value.ref;
      return (e) => e.get(ref);
    }
    case 'literal': {
      const v = value.value;
      return () => v;
    }
    case 'list': {
      const items = value.items.map(compileValue);
      if (value.items.every((item) => item.type === 'literal')) {
        const constant = items.map((get) => get(undefined as unknown as Event));
        return () => constant;
      }
      return (e) => items.map((get) => get(e));
    }
  }
}

function compileCompare(op: string, left: Getter, right: Getter): Condition {
  switch (op) {
    case '==':
      return (e) => equal(left(e), right(e));
    case '!=':
      return (e) => !equal(left(e), right(e));
    case '<':
      return (e) => order(left(e), right(e), (c) => c < 0);
    case '>':
      return (e) => order(left(e), right(e), (c) => c > 0);
    case '<=':
      return (e) => order(left(e), right(e), (c) => c <= 0);
    default:
      return (e) => order(left(e), right(e), (c) => c >= 0);
  }
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** Deep equality, with a number equal to a numeric string of the same value. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && y !== undefined && x === y;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    return a.length === bl.length && a.every((item, i) => equal(item, bl[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && equal((a as Record<string, unknown>)[k], bo[k]));
}

function order(a: unknown, b: unknown, holds: (comparison: number) => boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string') return holds(a < b ? -1 : a > b ? 1 : 0);
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return false;
  return holds(x - y);
}

function matcher(compiled: CompiledRegex): (value: unknown) => boolean {
  const regex = compiled.regex;
  return (value) => {
    if (typeof value === 'string') return regex.test(value);
    if (typeof value === 'number' || typeof value === 'boolean') return regex.test(String(value));
    return false;
  };
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (haystack !== null && typeof haystack === 'object') return typeof needle === 'string' && Object.hasOwn(haystack, needle);
  return false;
}
