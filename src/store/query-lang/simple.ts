/**
 * Elasticsearch's `simple_query_string` syntax (Lucene's SimpleQueryParser), parsed into a
 * QueryNode. It never fails on the query text: what does not parse is ignored, as in
 * Elasticsearch. Operators (each can be switched off by `flags`):
 *
 *   `+` AND     `|` OR     `-` NOT (prefix; `--a` is `a`)     `"..."` phrase
 *   `foo*` prefix     `( )` precedence     `\` escape     whitespace separates words
 *   `foo~N` fuzzy (edit distance N, 2 when N is left out, at most 2)
 *   `"a b"~N` phrase slop (NEAR / SLOP flag)
 *
 * Operators do not have precedence over each other: the query is read left to right and
 * every change of operator starts a new level, so `a | b + c` is `(a | b) + c` and
 * `a + b | c` is `(a + b) | c`. Words without an operator between them combine with the
 * default operator (OR unless told otherwise). `-x` is "not x": a bool of must_not x and
 * should match_all, so with the default OR `foo -bar` matches everything that is foo OR
 * not bar (Elasticsearch's documented behaviour). An unclosed `(` or `"` is ignored, a
 * stray `)` is ignored, an operator with nothing before it is ignored. An empty query
 * matches nothing; a query that is just `*` matches everything.
 */
import { QuerySyntaxError, type QueryNode } from './ast.ts';
import { type BoolNode, bool, MAX_QUERY_DEPTH } from './common.ts';

export interface SimpleQueryStringOptions {
  /** How words without an operator combine (default OR). */
  defaultOperator?: 'OR' | 'AND' | 'or' | 'and';
  /** `ALL` (default), `NONE` or names joined by `|` (`AND|OR|PREFIX`), or the bit mask as a number. */
  flags?: string | number;
}

const FLAG_BITS: Readonly<Record<string, number>> = {
  AND: 1,
  NOT: 2,
  OR: 4,
  PREFIX: 8,
  PHRASE: 16,
  PRECEDENCE: 32,
  ESCAPE: 64,
  WHITESPACE: 128,
  FUZZY: 256,
  NEAR: 512,
  SLOP: 512,
};
const ALL = -1;

/**
 * Elasticsearch's flag parsing: names are case-insensitive and joined by `|`; `NONE` or
 * `ALL` anywhere wins at once; a negative number means ALL. An unknown name is a
 * QuerySyntaxError whose position is the offset of the name in the flags string.
 */
export function parseSimpleQueryFlags(flags: string | number | undefined): number {
  if (flags === undefined || flags === '') return ALL;
  if (typeof flags === 'number') return flags < 0 ? ALL : flags;
  let mask = 0;
  let offset = 0;
  for (const name of flags.split('|')) {
    const upper = name.toUpperCase();
    if (upper === 'NONE') return 0;
    if (upper === 'ALL') return ALL;
    if (name !== '') {
      const bit = FLAG_BITS[upper];
      if (bit === undefined) throw new QuerySyntaxError('simple', `Unknown simple_query_string flag [${name}]`, offset);
      mask |= bit;
    }
    offset += name.length + 1;
  }
  return mask;
}

type Occur = 'must' | 'should';

interface State {
  end: number;
  index: number;
  top: QueryNode | null;
  previous: Occur | null;
  current: Occur | null;
  not: number;
}

export function parseSimpleQueryString(text: string, options: SimpleQueryStringOptions = {}): QueryNode {
  const flags = parseSimpleQueryFlags(options.flags);
  if (javaTrim(text) === '*') return { kind: 'match_all' };
  const defaultOccur: Occur = String(options.defaultOperator ?? 'OR').toUpperCase() === 'AND' ? 'must' : 'should';
  return new SimpleParser(text, flags, defaultOccur).parse() ?? { kind: 'match_none' };
}

function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

class SimpleParser {
  readonly #text: string;
  readonly #flags: number;
  readonly #defaultOccur: Occur;
  /** For each unescaped `(`, the offset of its `)`; -1 when it has none. */
  readonly #closing: Int32Array;

  constructor(text: string, flags: number, defaultOccur: Occur) {
    this.#text = text;
    this.#flags = flags;
    this.#defaultOccur = defaultOccur;
    this.#closing = this.#matchParentheses();
  }

  #on(bit: number): boolean {
    return (this.#flags & bit) !== 0;
  }

  parse(): QueryNode | null {
    return this.#subQuery(0, this.#text.length, 0);
  }

  /**
   * Matches parentheses once up front (a `)` closes the nearest open `(`; escaped ones do
   * not count; quotes do not matter, as in Lucene), so an unclosed `(` costs no rescan.
   */
  #matchParentheses(): Int32Array {
    const text = this.#text;
    const closing = new Int32Array(text.length).fill(-1);
    if (!this.#on(FLAG_BITS.PRECEDENCE!)) return closing;
    const escapes = this.#on(FLAG_BITS.ESCAPE!);
    const open: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && escapes) i++;
      else if (c === '(') open.push(i);
      else if (c === ')' && open.length > 0) closing[open.pop()!] = i;
    }
    return closing;
  }

  #subQuery(start: number, end: number, depth: number): QueryNode | null {
    const text = this.#text;
    const state: State = { end, index: start, top: null, previous: null, current: null, not: 0 };
    while (state.index < end) {
      const c = text[state.index]!;
      if (c === '(' && this.#on(FLAG_BITS.PRECEDENCE!)) {
        this.#group(state, depth);
      } else if (c === ')' && this.#on(FLAG_BITS.PRECEDENCE!)) {
        state.index++;
      } else if (c === '"' && this.#on(FLAG_BITS.PHRASE!)) {
        this.#phrase(state);
      } else if (c === '+' && this.#on(FLAG_BITS.AND!)) {
        if (state.current === null && state.top !== null) state.current = 'must';
        state.index++;
      } else if (c === '|' && this.#on(FLAG_BITS.OR!)) {
        if (state.current === null && state.top !== null) state.current = 'should';
        state.index++;
      } else if (c === '-' && this.#on(FLAG_BITS.NOT!)) {
        state.not++;
        state.index++;
        continue;
      } else if (isWhitespace(c) && this.#on(FLAG_BITS.WHITESPACE!)) {
        state.index++;
      } else {
        this.#token(state);
      }
      state.not = 0;
    }
    return state.top;
  }

  #group(state: State, depth: number): void {
    const open = state.index;
    const close = this.#closing[open]!;
    if (close < 0 || close >= state.end || depth + 1 > MAX_QUERY_DEPTH) {
      // never closed (or nested deeper than we parse): the "(" is ignored
      state.index = open + 1;
    } else if (close === open + 1) {
      // "()": the operator before it applied to nothing
      state.current = null;
      state.index = close + 1;
    } else {
      this.#build(state, this.#subQuery(open + 1, close, depth + 1));
      state.index = close + 1;
    }
  }

  #phrase(state: State): void {
    const text = this.#text;
    const start = ++state.index;
    let buffer = '';
    let escaped = false;
    let hasSlop = false;
    while (state.index < state.end) {
      const c = text[state.index]!;
      if (!escaped) {
        if (c === '\\' && this.#on(FLAG_BITS.ESCAPE!)) {
          escaped = true;
          state.index++;
          continue;
        }
        if (c === '"') {
          if (state.end > state.index + 1 && text[state.index + 1] === '~' && this.#on(FLAG_BITS.NEAR!)) {
            state.index++;
            if (state.end > state.index + 1) hasSlop = true;
          }
          break;
        }
      }
      escaped = false;
      buffer += c;
      state.index++;
    }
    if (state.index === state.end) {
      // never closed: the quote is ignored and what follows is read as words
      state.index = start;
    } else if (state.index === start) {
      // `""`: the operator before it applied to nothing
      state.current = null;
      state.index++;
    } else {
      const slop = hasSlop ? this.#fuzziness(state) : 0;
      this.#build(state, buffer === '' ? null : { kind: 'phrase', field: null, text: buffer, slop });
      // Lucene steps over the character after the slop as well
      state.index++;
    }
  }

  #finishesToken(c: string): boolean {
    return (
      (c === '"' && this.#on(FLAG_BITS.PHRASE!)) ||
      (c === '|' && this.#on(FLAG_BITS.OR!)) ||
      (c === '+' && this.#on(FLAG_BITS.AND!)) ||
      ((c === '(' || c === ')') && this.#on(FLAG_BITS.PRECEDENCE!)) ||
      (isWhitespace(c) && this.#on(FLAG_BITS.WHITESPACE!))
    );
  }

  #token(state: State): void {
    const text = this.#text;
    let buffer = '';
    let escaped = false;
    let prefix = false;
    let fuzzy = false;
    while (state.index < state.end) {
      const c = text[state.index]!;
      if (!escaped) {
        if (c === '\\' && this.#on(FLAG_BITS.ESCAPE!)) {
          escaped = true;
          prefix = false;
          state.index++;
          continue;
        }
        if (this.#finishesToken(c)) break;
        if (buffer.length > 0 && c === '~' && this.#on(FLAG_BITS.FUZZY!)) {
          fuzzy = true;
          break;
        }
        prefix = buffer.length > 0 && c === '*' && this.#on(FLAG_BITS.PREFIX!);
      }
      escaped = false;
      buffer += c;
      state.index++;
    }
    if (buffer.length === 0) return;
    let branch: QueryNode;
    if (fuzzy) {
      const edits = Math.min(this.#fuzziness(state), 2);
      branch = edits === 0 ? { kind: 'term', field: null, text: buffer } : { kind: 'fuzzy', field: null, text: buffer, fuzziness: edits };
    } else if (prefix) {
      branch = { kind: 'prefix', field: null, text: buffer.slice(0, -1) };
    } else {
      branch = { kind: 'term', field: null, text: buffer };
    }
    this.#build(state, branch);
  }

  /** Reads `~N` at state.index up to the end of the token: N, 2 for a bare `~`, 0 when N is not an integer. */
  #fuzziness(state: State): number {
    const text = this.#text;
    let spec = '';
    state.index++;
    while (state.index < state.end && !this.#finishesToken(text[state.index]!)) {
      spec += text[state.index];
      state.index++;
    }
    if (spec === '') return 2;
    if (!/^[+-]?\d{1,10}$/.test(spec)) return 0;
    const value = Number(spec);
    if (value > 2147483647 || value < -2147483648) return 0;
    return Math.max(0, value);
  }

  /** Lucene's buildQueryTree: negation, then a new level whenever the operator changes. */
  #build(state: State, branch: QueryNode | null): void {
    if (branch === null) return;
    if (state.not % 2 === 1) branch = bool({ mustNot: [branch], should: [{ kind: 'match_all' }] });
    if (state.top === null) {
      state.top = branch;
    } else {
      const occur = state.current ?? this.#defaultOccur;
      if (state.previous !== occur) state.top = bool({ [occur]: [state.top] });
      (state.top as BoolNode)[occur].push(branch);
      state.previous = occur;
    }
    state.current = null;
  }
}
