/**
 * The query tree that the three query languages of the store parse into: Lucene's
 * `query_string`, `simple_query_string`, and Kibana's KQL. The search engine turns a
 * tree into its plan; the parsers know nothing of mappings.
 *
 * `field: null` means "the default fields" (`default_field` / `fields` of the request,
 * `index.query.default_field` = `*` otherwise). A field may hold wildcards (`host.*`),
 * which the engine expands against the mapping.
 */
export type QueryNode =
  | { kind: 'match_all'; boost?: number }
  | { kind: 'match_none' }
  /**
   * One word (analysed on text fields, exact on keyword fields). The text may hold several
   * words (`new york city` in query_string, `message: hello world` in KQL): analyse it as
   * a whole, like a `match` query, and combine its tokens with the request's
   * default_operator (query_string, simple_query_string) or OR (KQL).
   */
  | { kind: 'term'; field: string | null; text: string; boost?: number }
  /** A quoted phrase; `slop` from `"a b"~2`. */
  | { kind: 'phrase'; field: string | null; text: string; slop: number; boost?: number }
  /** `foo*` (prefix is the wildcard case of a single trailing `*`). */
  | { kind: 'prefix'; field: string | null; text: string; boost?: number; analyzeWildcard?: boolean }
  /** `f?o*bar`: `*` any run, `?` one character, `\x` the character x itself. */
  | { kind: 'wildcard'; field: string | null; pattern: string; boost?: number; analyzeWildcard?: boolean }
  /** `/joh?n(ath[oa]n)/`: Lucene regular expression syntax, whole-term match. */
  | { kind: 'regexp'; field: string | null; pattern: string; boost?: number }
  /** `roam~` / `roam~1`: edit distance, `'AUTO'` when no number was given. */
  | { kind: 'fuzzy'; field: string | null; text: string; fuzziness: number | 'AUTO'; boost?: number; maxExpansions?: number }
  /** `[a TO b]`, `{a TO *}`, `>=5`, KQL `f > 3`. Bounds are the raw text; unbounded sides are absent. */
  | {
      kind: 'range';
      field: string | null;
      gt?: string;
      gte?: string;
      lt?: string;
      lte?: string;
      boost?: number;
    }
  /** `_exists_:f`, KQL `f:*`. */
  | { kind: 'exists'; field: string }
  /**
   * Elasticsearch's bool semantics: with no must/filter clause at least one should clause
   * must match (unless minimumShouldMatch says otherwise), otherwise should clauses only
   * score; a bool of only mustNot clauses matches every document except those.
   */
  | {
      kind: 'bool';
      must: QueryNode[];
      should: QueryNode[];
      mustNot: QueryNode[];
      /** Non-scoring required clauses (KQL produces these for its filters if it wants). */
      filter: QueryNode[];
      minimumShouldMatch?: number;
      boost?: number;
    };

/** A query text that does not parse. `position` is the 0-based character offset. */
export class QuerySyntaxError extends Error {
  readonly position: number;
  readonly language: 'lucene' | 'simple' | 'kql';
  constructor(language: 'lucene' | 'simple' | 'kql', message: string, position: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.language = language;
    this.position = position;
  }
}
