/**
 * The runner of the data-driven aggregation tests: each case is documents (or a fake
 * source), an `aggs` request, and either the expected `aggregations` object or the
 * expected Elasticsearch error (status, type, reason, caused_by reason).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EsError } from '../../../../src/store/errors.ts';
import { isShardLevel, runAggregations, validateAggregations } from '../../../../src/store/search/aggs/index.ts';
import type { AggSource } from '../../../../src/store/search/aggs/types.ts';

export interface ExpectedError {
  status: number;
  type: string;
  reason: string | RegExp;
  cause?: string | RegExp;
}

export interface AggCase {
  name: string;
  source: AggSource & { all: Int32Array };
  /** Positions to aggregate (default: every document). */
  positions?: number[];
  aggs: Record<string, unknown>;
  expected?: Record<string, unknown>;
  error?: ExpectedError;
  /** True when the error must come from validateAggregations (before any execution). */
  validation?: boolean;
  /**
   * Whether Elasticsearch raises the error on a shard (search wraps it in
   * search_phase_execution_exception). Default: request errors (validation) are not,
   * execution errors are.
   */
  shardLevel?: boolean;
}

export function runCases(cases: AggCase[]): void {
  for (const c of cases) {
    test(c.name, () => {
      const positions = c.positions ? Int32Array.from(c.positions) : c.source.all;
      if (c.error) {
        const run = c.validation ? () => validateAggregations(c.aggs) : () => runAggregations(c.aggs, c.source, positions);
        if (!c.validation) assert.doesNotThrow(() => validateAggregations(c.aggs), 'validation should pass; the error comes at execution');
        assert.throws(run, (error: unknown) => {
          assert.ok(error instanceof EsError, `expected an EsError, got ${String(error)}`);
          assert.equal(error.status, c.error!.status);
          assert.equal(error.type, c.error!.type);
          if (typeof c.error!.reason === 'string') assert.equal(error.reason, c.error!.reason);
          else assert.match(error.reason, c.error!.reason);
          assert.equal(isShardLevel(error), c.shardLevel ?? !c.validation, 'shard-level marking');
          if (c.error!.cause !== undefined) {
            const cause = error.causedBy?.reason ?? '';
            if (typeof c.error!.cause === 'string') assert.equal(cause, c.error!.cause);
            else assert.match(cause, c.error!.cause);
          }
          return true;
        });
        return;
      }
      validateAggregations(c.aggs);
      const actual = runAggregations(c.aggs, c.source, positions);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(actual)), c.expected);
    });
  }
}
