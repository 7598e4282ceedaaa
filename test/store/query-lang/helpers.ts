/**
 * Shared pieces of the query-language tests: node builders that keep the case tables
 * short, a tree validator, and a bounded, seeded fuzz runner.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { type QueryNode, QuerySyntaxError } from '../../../src/store/query-lang/ast.ts';

type Bool = Extract<QueryNode, { kind: 'bool' }>;

export const term = (field: string | null, text: string, boost?: number): QueryNode =>
  boost === undefined ? { kind: 'term', field, text } : { kind: 'term', field, text, boost };
export const phrase = (field: string | null, text: string, slop = 0): QueryNode => ({ kind: 'phrase', field, text, slop });
export const prefix = (field: string | null, text: string): QueryNode => ({ kind: 'prefix', field, text });
export const wildcard = (field: string | null, pattern: string): QueryNode => ({ kind: 'wildcard', field, pattern });
export const exists = (field: string): QueryNode => ({ kind: 'exists', field });
export const matchAll: QueryNode = { kind: 'match_all' };
export const matchNone: QueryNode = { kind: 'match_none' };
export function bool(parts: Partial<Omit<Bool, 'kind'>>): QueryNode {
  const node: Bool = { kind: 'bool', must: parts.must ?? [], should: parts.should ?? [], mustNot: parts.mustNot ?? [], filter: parts.filter ?? [] };
  if (parts.minimumShouldMatch !== undefined) node.minimumShouldMatch = parts.minimumShouldMatch;
  if (parts.boost !== undefined) node.boost = parts.boost;
  return node;
}

const STRING_OR_NULL = (v: unknown) => v === null || typeof v === 'string';

/** Asserts that `node` is a well-formed QueryNode (every field of the right type). */
export function assertTree(node: unknown, depth = 0): void {
  assert.ok(depth < 1000, 'tree too deep');
  assert.equal(typeof node, 'object');
  const n = node as Record<string, unknown>;
  if (n.boost !== undefined) assert.ok(typeof n.boost === 'number' && Number.isFinite(n.boost), 'boost is a finite number');
  switch (n.kind) {
    case 'match_all':
    case 'match_none':
      return;
    case 'term':
    case 'phrase':
    case 'prefix':
    case 'fuzzy':
      assert.ok(STRING_OR_NULL(n.field));
      assert.equal(typeof n.text, 'string');
      if (n.kind === 'phrase') assert.ok(Number.isInteger(n.slop) && (n.slop as number) >= 0);
      if (n.kind === 'fuzzy') assert.ok(n.fuzziness === 'AUTO' || [0, 1, 2].includes(n.fuzziness as number));
      return;
    case 'wildcard':
    case 'regexp':
      assert.ok(STRING_OR_NULL(n.field));
      assert.equal(typeof n.pattern, 'string');
      return;
    case 'range':
      assert.ok(STRING_OR_NULL(n.field));
      for (const k of ['gt', 'gte', 'lt', 'lte']) assert.ok(n[k] === undefined || typeof n[k] === 'string');
      assert.ok(!(n.gt !== undefined && n.gte !== undefined) && !(n.lt !== undefined && n.lte !== undefined));
      return;
    case 'exists':
      assert.equal(typeof n.field, 'string');
      return;
    case 'bool':
      for (const k of ['must', 'should', 'mustNot', 'filter']) {
        assert.ok(Array.isArray(n[k]));
        for (const child of n[k] as unknown[]) assertTree(child, depth + 1);
      }
      return;
    default:
      assert.fail(`unknown node kind ${String(n.kind)}`);
  }
}

/** mulberry32: a tiny seeded PRNG, so a failing fuzz run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzResult {
  inputs: number;
  trees: number;
  errors: number;
  slowestMs: number;
  slowestInput: string;
}

/**
 * Feeds random strings made of `pieces` to `parse` for `durationMs`. Every input must give
 * a valid tree or a QuerySyntaxError with a position inside the input, and no input may
 * take longer than `maxMsPerInput`. The seed comes from FUZZ_SEED or the clock and is
 * printed, so a failure can be replayed.
 */
export function fuzz(
  name: string,
  parse: (text: string) => QueryNode,
  pieces: readonly string[],
  opts: { durationMs?: number; maxMsPerInput?: number; language?: string; neverThrows?: boolean } = {},
): FuzzResult {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
  console.log(`# fuzz ${name}: seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const random = prng(seed);
  const durationMs = opts.durationMs ?? 1500;
  const maxMs = opts.maxMsPerInput ?? 100;
  const result: FuzzResult = { inputs: 0, trees: 0, errors: 0, slowestMs: 0, slowestInput: '' };
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const length = Math.floor(random() * 24);
    let text = '';
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    const started = performance.now();
    let outcome: unknown;
    try {
      outcome = parse(text);
    } catch (err) {
      outcome = err;
    }
    const took = performance.now() - started;
    result.inputs++;
    if (took > result.slowestMs) {
      result.slowestMs = took;
      result.slowestInput = text;
    }
    const context = `seed ${seed}, input ${JSON.stringify(text)}`;
    if (outcome instanceof QuerySyntaxError) {
      assert.ok(!opts.neverThrows, `${context}: threw ${outcome.message}`);
      assert.ok(Number.isInteger(outcome.position) && outcome.position >= 0 && outcome.position <= text.length, `${context}: position ${outcome.position}`);
      if (opts.language) assert.equal(outcome.language, opts.language, context);
      assert.ok(outcome.message.length > 0, context);
      result.errors++;
    } else if (outcome instanceof Error) {
      assert.fail(`${context}: threw ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
    } else {
      try {
        assertTree(outcome);
      } catch (err) {
        assert.fail(`${context}: bad tree ${JSON.stringify(outcome)}: ${(err as Error).message}`);
      }
      result.trees++;
    }
    // A pathological input (super-linear parsing) is slow every time; a garbage-collection
    // pause or a preempted process on a busy machine is not: judge by the fastest of three.
    if (took > maxMs) {
      let fastest = took;
      for (let i = 0; i < 3; i++) {
        const again = performance.now();
        try {
          parse(text);
        } catch {}
        fastest = Math.min(fastest, performance.now() - again);
      }
      assert.ok(fastest <= maxMs, `${context}: took ${fastest.toFixed(1)} ms at best of four parses`);
    }
  }
  console.log(`# fuzz ${name}: ${result.inputs} inputs, ${result.trees} trees, ${result.errors} syntax errors, slowest ${result.slowestMs.toFixed(2)} ms (${JSON.stringify(result.slowestInput)})`);
  return result;
}

/** Asserts that `fn` throws a QuerySyntaxError of `language` at `position` whose message matches. */
export function assertSyntaxError(fn: () => unknown, language: string, position: number, message: RegExp, label: string): void {
  let caught: unknown;
  try {
    const tree = fn();
    assert.fail(`${label}: expected a syntax error, got ${JSON.stringify(tree)}`);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof QuerySyntaxError, `${label}: ${String(caught)}`);
  assert.equal(caught.language, language, label);
  assert.equal(caught.position, position, `${label}: position (${caught.message})`);
  assert.match(caught.message, message, label);
}
