/**
 * Small pieces the three query-language parsers share: building bool nodes, applying
 * boosts, the nesting cap and the way errors name what was found.
 */
import type { QueryNode } from './ast.ts';

export type BoolNode = Extract<QueryNode, { kind: 'bool' }>;

/**
 * Deepest nesting of groups (`(`, KQL `{`) a query may have. Parsers are recursive, so
 * without a cap a query of a hundred thousand `(` would overflow the stack; real queries
 * never come close (Elasticsearch caps bool nesting of the JSON DSL at 30 by default).
 */
export const MAX_QUERY_DEPTH = 100;

export function bool(parts: Partial<Omit<BoolNode, 'kind'>> = {}): BoolNode {
  const node: BoolNode = {
    kind: 'bool',
    must: parts.must ?? [],
    should: parts.should ?? [],
    mustNot: parts.mustNot ?? [],
    filter: parts.filter ?? [],
  };
  if (parts.minimumShouldMatch !== undefined) node.minimumShouldMatch = parts.minimumShouldMatch;
  if (parts.boost !== undefined) node.boost = parts.boost;
  return node;
}

/**
 * Multiplies a node's boost by `boost` (Lucene nests boost queries, so `(a^2)^3` scores
 * like `a^6`). Nodes without a boost field (`exists`, `match_none`) are wrapped in a bool.
 */
export function withBoost(node: QueryNode, boost: number): QueryNode {
  if (node.kind === 'exists' || node.kind === 'match_none') return bool({ must: [node], boost });
  return { ...node, boost: node.boost === undefined ? boost : node.boost * boost };
}

/** How an error message names the text at `pos`: `"x"` (JSON-quoted) or `end of input`. */
export function foundAt(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  return JSON.stringify(text[pos]);
}
