/**
 * Tokenizer for Lucene's classic query syntax (Elasticsearch `query_string`), written
 * from the token rules of Lucene's classic QueryParser:
 *
 *   whitespace     ' ' \t \n \r U+3000 (skipped between tokens)
 *   term start     any character except whitespace and + - ! ( ) : ^ [ ] " { } ~ * ? \ /,
 *                  or a backslash escape (`\x`, any x)
 *   term char      a term start character, `-` or `+`
 *   AND OR NOT     `AND` `&&`, `OR` `||`, `NOT` `!` (case-sensitive; `ANDROID` is a term)
 *   + - (modifiers), `+ ` `- ` `! ` followed by whitespace are bare operators: the term "+"
 *   ( ) :          grouping and field separator
 *   ^N             boost: a number must follow the caret immediately
 *   "..."          phrase; `\"` inside
 *   ~...           fuzzy / slop: `~` and the term characters after it
 *   /.../          regular expression; `\/` inside
 *   [a TO b}       range, `[`/`]` inclusive, `{`/`}` exclusive; `TO` is required
 *   words          a run of term characters, `*` and `?`: `*` alone is STAR, no wildcard is
 *                  TERM, one trailing `*` is PREFIXTERM, anything else WILDTERM
 *
 * When two token rules match, the longer match wins and ties go to the operator
 * (so `&&&` and `ANDROID` are terms, `&&` is AND).
 */
import { QuerySyntaxError } from './ast.ts';

export type TokenKind =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'PLUS'
  | 'MINUS'
  | 'BAREOPER'
  | 'LPAREN'
  | 'RPAREN'
  | 'COLON'
  | 'STAR'
  | 'BOOST'
  | 'QUOTED'
  | 'TERM'
  | 'FUZZY_SLOP'
  | 'PREFIXTERM'
  | 'WILDTERM'
  | 'REGEXPTERM'
  | 'RANGE'
  | 'EOF';

export interface RangeBound {
  /** Unescaped text; undefined for an open end (`*`). */
  text: string | undefined;
  start: number;
}

export interface Token {
  kind: TokenKind;
  /** Offset of the first character. */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** The source text of the token (escapes kept). */
  image: string;
  /** BOOST: the number after the caret. */
  boost?: number;
  /** RANGE: bounds and inclusiveness. */
  range?: { lower: RangeBound; upper: RangeBound; includeLower: boolean; includeUpper: boolean };
}

export function isLuceneWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000';
}

const NOT_TERM_START = new Set([' ', '\t', '\n', '\r', '\u3000', '+', '-', '!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '*', '?', '\\', '/']);

function isTermStart(c: string): boolean {
  return !NOT_TERM_START.has(c);
}

function isTermChar(c: string): boolean {
  return c === '-' || c === '+' || !NOT_TERM_START.has(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Builds the message of every Lucene syntax error: `Cannot parse '<query>': <detail>`. */
export function luceneError(text: string, detail: string, position: number): QuerySyntaxError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return new QuerySyntaxError('lucene', `Cannot parse '${shown}': ${detail}`, position);
}

/** How a token is named in an error message. */
export function describeToken(token: Token): string {
  return token.kind === 'EOF' ? '"<EOF>"' : JSON.stringify(token.image);
}

/**
 * Removes backslash escapes: `\x` becomes `x`, `\uXXXX` the UTF-16 unit XXXX.
 * `base` is the offset of `s` in the query, for error positions.
 */
export function unescapeLucene(query: string, s: string, base: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (i + 1 >= s.length) throw luceneError(query, `Term can not end with escape character at position ${base + i}`, base + i);
    const next = s[i + 1]!;
    if (next === 'u') {
      const hex = s.slice(i + 2, i + 6);
      if (hex.length < 4) throw luceneError(query, `Truncated unicode escape sequence at position ${base + i}`, base + i);
      for (let k = 0; k < 4; k++) {
        if (!/[0-9a-fA-F]/.test(hex[k]!)) {
          throw luceneError(query, `Non-hex character in Unicode escape sequence: ${hex[k]} at position ${base + i + 2 + k}`, base + i + 2 + k);
        }
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
    } else {
      out += next;
      i += 1;
    }
  }
  return out;
}

export class LuceneLexer {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  next(): Token {
    const text = this.#text;
    let p = this.#pos;
    while (p < text.length && isLuceneWhitespace(text[p]!)) p++;
    if (p >= text.length) {
      this.#pos = p;
      return { kind: 'EOF', start: p, end: p, image: '' };
    }
    const c = text[p]!;
    let token: Token;
    switch (c) {
      case '"':
        token = this.#quoted(p);
        break;
      case '(':
        token = this.#single('LPAREN', p);
        break;
      case ')':
        token = this.#single('RPAREN', p);
        break;
      case ':':
        token = this.#single('COLON', p);
        break;
      case '^':
        token = this.#boost(p);
        break;
      case '[':
      case '{':
        token = this.#range(p);
        break;
      case '+':
      case '-':
      case '!':
        if (p + 1 < text.length && isLuceneWhitespace(text[p + 1]!)) token = { kind: 'BAREOPER', start: p, end: p + 2, image: c };
        else token = this.#single(c === '+' ? 'PLUS' : c === '-' ? 'MINUS' : 'NOT', p);
        break;
      case '~': {
        const end = this.#termChars(p + 1);
        token = { kind: 'FUZZY_SLOP', start: p, end, image: text.slice(p, end) };
        break;
      }
      case '/':
        token = this.#regexp(p);
        break;
      case ']':
      case '}':
        throw luceneError(text, `Encountered "${c}" at position ${p} without a range to close (escape it as \\${c})`, p);
      default:
        token = this.#word(p);
    }
    this.#pos = token.end;
    return token;
  }

  #single(kind: TokenKind, p: number): Token {
    return { kind, start: p, end: p + 1, image: this.#text[p]! };
  }

  /** End of the run of term characters (with escapes) starting at `p`. */
  #termChars(p: number): number {
    const text = this.#text;
    while (p < text.length) {
      const c = text[p]!;
      if (c === '\\') {
        if (p + 1 >= text.length) throw luceneError(text, `Term can not end with escape character at position ${p}`, p);
        p += 2;
      } else if (isTermChar(c)) p++;
      else break;
    }
    return p;
  }

  #quoted(p: number): Token {
    const text = this.#text;
    let i = p + 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '"') return { kind: 'QUOTED', start: p, end: i + 1, image: text.slice(p, i + 1) };
      else i++;
    }
    throw luceneError(text, `Unterminated phrase: the '"' at position ${p} has no closing '"'`, p);
  }

  #boost(p: number): Token {
    const text = this.#text;
    let i = p + 1;
    while (isDigit(text[i])) i++;
    if (i === p + 1) throw luceneError(text, `Expected a number after "^" at position ${p + 1}, found ${describeAt(text, p + 1)}`, p + 1);
    if (text[i] === '.' && isDigit(text[i + 1])) {
      i++;
      while (isDigit(text[i])) i++;
    }
    return { kind: 'BOOST', start: p, end: i, image: text.slice(p, i), boost: Number(text.slice(p + 1, i)) };
  }

  #regexp(p: number): Token {
    const text = this.#text;
    let i = p + 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\' && text[i + 1] === '/') i += 2;
      else if (c === '/') return { kind: 'REGEXPTERM', start: p, end: i + 1, image: text.slice(p, i + 1) };
      else i++;
    }
    throw luceneError(text, `Unterminated regular expression: the "/" at position ${p} has no closing "/" (escape a literal slash as \\/)`, p);
  }

  #word(p: number): Token {
    const text = this.#text;
    let i = p;
    let wildcards = 0;
    let lastWildcard = -1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        if (i + 1 >= text.length) throw luceneError(text, `Term can not end with escape character at position ${i}`, i);
        i += 2;
      } else if (c === '*' || c === '?') {
        wildcards++;
        lastWildcard = i;
        i++;
      } else if (isTermChar(c)) i++;
      else break;
    }
    const image = text.slice(p, i);
    let kind: TokenKind;
    if (image === 'AND' || image === '&&') kind = 'AND';
    else if (image === 'OR' || image === '||') kind = 'OR';
    else if (image === 'NOT') kind = 'NOT';
    else if (image === '*') kind = 'STAR';
    else if (wildcards === 0) kind = 'TERM';
    else if (wildcards === 1 && lastWildcard === i - 1 && text[lastWildcard] === '*' && isTermStart(text[p]!)) kind = 'PREFIXTERM';
    else kind = 'WILDTERM';
    return { kind, start: p, end: i, image };
  }

  /** A whole range `[a TO b]` as one token (Lucene lexes its inside in a state of its own). */
  #range(p: number): Token {
    const text = this.#text;
    const includeLower = text[p] === '[';
    let i = p + 1;
    const lower = this.#rangePart(i, 'a lower bound');
    i = lower.end;
    const to = this.#rangeToken(i);
    if (to.kind !== 'TO') {
      throw luceneError(text, `Encountered ${to.kind === 'EOF' ? '"<EOF>"' : JSON.stringify(text.slice(to.start, to.end))} at position ${to.start}. Was expecting "TO" in the range starting at position ${p}`, to.start);
    }
    const upper = this.#rangePart(to.end, 'an upper bound after "TO"');
    i = upper.end;
    const close = this.#rangeToken(i);
    if (close.kind !== 'END_IN' && close.kind !== 'END_EX') {
      throw luceneError(text, `Encountered ${close.kind === 'EOF' ? '"<EOF>"' : JSON.stringify(text.slice(close.start, close.end))} at position ${close.start}. Was expecting "]" or "}" to close the range starting at position ${p}`, close.start);
    }
    return {
      kind: 'RANGE',
      start: p,
      end: close.end,
      image: text.slice(p, close.end),
      range: { lower: lower.bound, upper: upper.bound, includeLower, includeUpper: close.kind === 'END_IN' },
    };
  }

  #rangePart(i: number, what: string): { bound: RangeBound; end: number } {
    const text = this.#text;
    const t = this.#rangeToken(i);
    if (t.kind !== 'GOOP' && t.kind !== 'QUOTED' && t.kind !== 'TO') {
      throw luceneError(text, `Encountered ${t.kind === 'EOF' ? '"<EOF>"' : JSON.stringify(text.slice(t.start, t.end))} at position ${t.start}. Was expecting ${what}`, t.start);
    }
    let raw = text.slice(t.start, t.end);
    let base = t.start;
    if (t.kind === 'QUOTED') {
      raw = raw.slice(1, -1);
      base++;
    }
    const value = unescapeLucene(text, raw, base);
    return { bound: { text: value === '*' ? undefined : value, start: t.start }, end: t.end };
  }

  /** One token of the range state: TO, ], }, a quoted bound or a bare bound ("goop"). */
  #rangeToken(i: number): { kind: 'TO' | 'END_IN' | 'END_EX' | 'QUOTED' | 'GOOP' | 'EOF'; start: number; end: number } {
    const text = this.#text;
    while (i < text.length && isLuceneWhitespace(text[i]!)) i++;
    if (i >= text.length) return { kind: 'EOF', start: i, end: i };
    const c = text[i]!;
    if (c === ']') return { kind: 'END_IN', start: i, end: i + 1 };
    if (c === '}') return { kind: 'END_EX', start: i, end: i + 1 };
    let goop = i;
    while (goop < text.length && text[goop] !== ' ' && text[goop] !== ']' && text[goop] !== '}') goop++;
    const goopLength = goop - i;
    let quotedLength = 0;
    if (c === '"') {
      let j = i + 1;
      let chars = 0;
      while (j < text.length) {
        if (text[j] === '\\' && text[j + 1] === '"') {
          j += 2;
          chars++;
        } else if (text[j] === '"') {
          if (chars > 0) quotedLength = j + 1 - i;
          break;
        } else {
          j++;
          chars++;
        }
      }
    }
    const toLength = text.startsWith('TO', i) ? 2 : 0;
    if (toLength > 0 && toLength >= quotedLength && toLength >= goopLength) return { kind: 'TO', start: i, end: i + 2 };
    if (quotedLength > 0 && quotedLength >= goopLength) return { kind: 'QUOTED', start: i, end: i + quotedLength };
    return { kind: 'GOOP', start: i, end: goop };
  }
}

function describeAt(text: string, pos: number): string {
  return pos >= text.length ? '<EOF>' : JSON.stringify(text[pos]);
}
