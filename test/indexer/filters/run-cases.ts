/**
 * The one runner of filter cases: each case is data — a filter's options, an input event,
 * the expected event(s) — run through the same path the pipeline uses (validation,
 * compilation, common options).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event, type Fields } from '../../../src/indexer/event.ts';
import type { FilterContext } from '../../../src/indexer/filters/filter.ts';
import { compileFilters } from '../../../src/indexer/pipeline-filters.ts';

export interface FilterCase {
  name: string;
  options: Record<string, unknown>;
  input: Fields;
  metadata?: Fields;
  /** The document(s) that come out; null when the event is dropped. */
  expected: Fields | Fields[] | null;
  /** The metadata expected on the (first) output event, when it matters. */
  expectedMetadata?: Fields;
}

export const FIXED_NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

export function runFilterCases(filter: string, cases: readonly FilterCase[], context: Partial<FilterContext> = {}): void {
  const ctx: FilterContext = { now: () => FIXED_NOW, random: () => 0.5, ...context };
  for (const c of cases) {
    test(`${filter}: ${c.name}`, () => {
      const pipeline = compileFilters([{ [filter]: c.options }], ctx);
      const out = pipeline.run(new Event(structuredClone(c.input), structuredClone(c.metadata ?? {})));
      if (c.expected === null) {
        assert.deepEqual(out, []);
        return;
      }
      const expected = Array.isArray(c.expected) ? c.expected : [c.expected];
      assert.deepEqual(
        out.map((e) => e.toDocument()),
        expected,
      );
      if (c.expectedMetadata !== undefined) assert.deepEqual(out[0]!.metadata, c.expectedMetadata);
    });
  }
}

export interface ProblemCase {
  name: string;
  options: unknown;
  /** Expected path below the filter (e.g. ['match', 'message']). */
  path: (string | number)[];
  /** Text the problem message must contain. */
  message: string;
  column?: number;
}

/** Bad options: the problem's key path, message and column. */
export function runProblemCases(filter: string, cases: readonly ProblemCase[]): void {
  for (const c of cases) {
    test(`${filter} config problem: ${c.name}`, async () => {
      const { validateFilters } = await import('../../../src/indexer/pipeline-filters.ts');
      const { problems } = validateFilters([{ [filter]: c.options }]);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const problem = problems[0]!;
      assert.deepEqual(problem.path, [0, filter, ...c.path]);
      assert.ok(problem.message.includes(c.message), problem.message);
      if (c.column !== undefined) assert.equal(problem.column, c.column);
    });
  }
}
