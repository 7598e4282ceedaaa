/**
 * Kibana Query Language (KQL), parsed into a QueryNode. Written from Kibana's documented
 * syntax and the rules of its grammar:
 *
 *   query      := or
 *   or         := and ( SP+ "or" SP+ and )*            (keywords case-insensitive)
 *   and        := not ( SP+ "and" SP+ not )*
 *   not        := "not" SP+ sub | sub                  (so: not > and > or)
 *   sub        := "(" SP* or SP* ")" | nested
 *   nested     := field SP* ":" SP* "{" SP* or SP* "}" | expression
 *   expression := field SP* (<=|>=|<|>) SP* literal     range
 *               | field SP* ":" SP* values              field query
 *               | value                                 free text (field null)
 *   values     := "(" SP* orValues SP* ")" | value     with or/and/not inside, like above
 *   value      := "quoted"                             phrase
 *               | unquoted                              words, `*` wildcards
 *
 * An unquoted literal runs until one of  \ ( ) : < > " { }  or a keyword (` or `, ` and `
 * with whitespace on both sides, `not ` at the start of a word); it may hold spaces and
 * is trimmed. Escapes: `\t` `\r` `\n`, `\` before any of  \ ( ) : < > " * { } , `\uXXXX`,
 * and `\or` `\and` `\not` for the words themselves. Inside quotes: `\"`, `\\`, `\t` `\r`
 * `\n`, `\uXXXX`.
 *
 * Trees, following what Kibana sends to Elasticsearch:
 *   or  → bool should (minimumShouldMatch 1); and → bool filter; not → bool mustNot
 *   f: value → term (text may hold several words: a match query, any word matches)
 *   f: "a b" → phrase;  f: ab* → prefix;  f: a*b → wildcard;  f: * → exists(f)
 *   *, or an empty query → match_all;  f > 3 → range (bounds are raw text)
 *   parent:{ child: x } → the inner query with fields prefixed: parent.child
 *     (free text inside braces searches parent.*)
 *
 * One deliberate difference from Kibana's grammar: there `not ` ends a literal even in
 * the middle of a word, so `message: cannot connect` is a syntax error; here `not` is a
 * keyword only at the start of a word.
 */
import { QuerySyntaxError, type QueryNode } from './ast.ts';
import { bool, foundAt, MAX_QUERY_DEPTH } from './common.ts';

/** `null` marks an unescaped `*` in an unquoted literal. */
type LiteralChar = string | null;

interface Literal {
  quoted: boolean;
  chars: LiteralChar[];
}

const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\u00a0';
}

function isHex(s: string): boolean {
  return /^[0-9a-fA-F]{4}$/.test(s);
}

export function parseKql(text: string): QueryNode {
  return new KqlParser(text).parse();
}

class KqlParser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): QueryNode {
    this.#skipSpaces();
    if (this.#pos >= this.#text.length) return { kind: 'match_all' };
    const node = this.#or(0, null);
    this.#skipSpaces();
    if (this.#pos < this.#text.length) this.#expected(['AND', 'OR', 'end of input']);
    return node;
  }

  #expected(what: string[]): never {
    const pos = this.#pos;
    throw new QuerySyntaxError('kql', `Expected ${what.join(', ')} but ${foundAt(this.#text, pos)} found.`, pos);
  }

  #skipSpaces(): void {
    while (isSpace(this.#text[this.#pos])) this.#pos++;
  }

  #deeper(depth: number): number {
    if (depth + 1 > MAX_QUERY_DEPTH) {
      throw new QuerySyntaxError('kql', `Query is nested too deeply: more than ${MAX_QUERY_DEPTH} levels of parentheses or braces at position ${this.#pos}`, this.#pos);
    }
    return depth + 1;
  }

  /** Matches SP+ word SP+ at `pos` (the or/and keywords); returns the offset after it, or -1. */
  #binaryKeywordAt(pos: number, word: string): number {
    const text = this.#text;
    let i = pos;
    while (isSpace(text[i])) i++;
    if (i === pos) return -1;
    return this.#wordAt(i, word);
  }

  /** Matches word SP+ at `i` (case-insensitive); returns the offset after the spaces, or -1. */
  #wordAt(i: number, word: string): number {
    const text = this.#text;
    if (text.slice(i, i + word.length).toLowerCase() !== word) return -1;
    let j = i + word.length;
    if (!isSpace(text[j])) return -1;
    while (isSpace(text[j])) j++;
    return j;
  }

  #accept(word: 'or' | 'and'): boolean {
    const after = this.#binaryKeywordAt(this.#pos, word);
    if (after < 0) return false;
    this.#pos = after;
    return true;
  }

  #acceptNot(): boolean {
    const after = this.#wordAt(this.#pos, 'not');
    if (after < 0) return false;
    this.#pos = after;
    return true;
  }

  #or(depth: number, path: string | null): QueryNode {
    const parts = [this.#and(depth, path)];
    while (this.#accept('or')) parts.push(this.#and(depth, path));
    return parts.length === 1 ? parts[0]! : bool({ should: parts, minimumShouldMatch: 1 });
  }

  #and(depth: number, path: string | null): QueryNode {
    const parts = [this.#not(depth, path)];
    while (this.#accept('and')) parts.push(this.#not(depth, path));
    return parts.length === 1 ? parts[0]! : bool({ filter: parts });
  }

  #not(depth: number, path: string | null): QueryNode {
    if (this.#acceptNot()) return bool({ mustNot: [this.#sub(depth, path)] });
    return this.#sub(depth, path);
  }

  #sub(depth: number, path: string | null): QueryNode {
    if (this.#text[this.#pos] !== '(') return this.#expression(depth, path);
    const inner = this.#deeper(depth);
    this.#pos++;
    this.#skipSpaces();
    const node = this.#or(inner, path);
    this.#skipSpaces();
    if (this.#text[this.#pos] !== ')') this.#expected(['")"', 'AND', 'OR']);
    this.#pos++;
    return node;
  }

  #expression(depth: number, path: string | null): QueryNode {
    const literal = this.#literal();
    if (literal === null) this.#expected(['"("', 'NOT', 'field name', 'value']);
    const afterLiteral = this.#pos;
    this.#skipSpaces();
    const text = this.#text;
    const c = text[this.#pos];
    if (c === ':') {
      const field = this.#fieldName(literal, path);
      this.#pos++;
      this.#skipSpaces();
      if (text[this.#pos] === '{') {
        const inner = this.#deeper(depth);
        this.#pos++;
        this.#skipSpaces();
        const node = this.#or(inner, field);
        this.#skipSpaces();
        if (text[this.#pos] !== '}') this.#expected(['"}"', 'AND', 'OR']);
        this.#pos++;
        return node;
      }
      return this.#values(depth, field);
    }
    if (c === '<' || c === '>') {
      const field = this.#fieldName(literal, path);
      const inclusive = text[this.#pos + 1] === '=';
      const op = c === '<' ? (inclusive ? 'lte' : 'lt') : inclusive ? 'gte' : 'gt';
      this.#pos += inclusive ? 2 : 1;
      this.#skipSpaces();
      const bound = this.#literal();
      if (bound === null) this.#expected(['literal']);
      return { kind: 'range', field, [op]: joinLiteral(bound) };
    }
    this.#pos = afterLiteral;
    return this.#value(literal, path === null ? null : `${path}.*`);
  }

  #fieldName(literal: Literal, path: string | null): string {
    const name = joinLiteral(literal);
    return path === null ? name : `${path}.${name}`;
  }

  /** `values` after `field:`: one value, or a parenthesised or/and/not list of them. */
  #values(depth: number, field: string): QueryNode {
    if (this.#text[this.#pos] === '(') {
      const inner = this.#deeper(depth);
      this.#pos++;
      this.#skipSpaces();
      const node = this.#orValues(inner, field);
      this.#skipSpaces();
      if (this.#text[this.#pos] !== ')') this.#expected(['")"', 'AND', 'OR']);
      this.#pos++;
      return node;
    }
    const literal = this.#literal();
    if (literal === null) this.#expected(['"("', '"{"', 'value']);
    return this.#value(literal, field);
  }

  #orValues(depth: number, field: string): QueryNode {
    const parts = [this.#andValues(depth, field)];
    while (this.#accept('or')) parts.push(this.#andValues(depth, field));
    return parts.length === 1 ? parts[0]! : bool({ should: parts, minimumShouldMatch: 1 });
  }

  #andValues(depth: number, field: string): QueryNode {
    const parts = [this.#notValues(depth, field)];
    while (this.#accept('and')) parts.push(this.#notValues(depth, field));
    return parts.length === 1 ? parts[0]! : bool({ filter: parts });
  }

  #notValues(depth: number, field: string): QueryNode {
    const negated = this.#acceptNot();
    let node: QueryNode;
    if (this.#text[this.#pos] === '(') node = this.#values(depth, field);
    else {
      const literal = this.#literal();
      if (literal === null) this.#expected(negated ? ['"("', 'value'] : ['"("', 'NOT', 'value']);
      node = this.#value(literal, field);
    }
    return negated ? bool({ mustNot: [node] }) : node;
  }

  #value(literal: Literal, field: string | null): QueryNode {
    if (literal.quoted) return { kind: 'phrase', field, text: joinLiteral(literal), slop: 0 };
    const chars = literal.chars;
    const wildcards = chars.filter((c) => c === null).length;
    if (wildcards === 0) return { kind: 'term', field, text: joinLiteral(literal) };
    if (wildcards === 1 && chars.length === 1) {
      return field === null || field === '*' ? { kind: 'match_all' } : { kind: 'exists', field };
    }
    if (wildcards === 1 && chars[chars.length - 1] === null) return { kind: 'prefix', field, text: chars.slice(0, -1).join('') };
    let pattern = '';
    for (const c of chars) pattern += c === null ? '*' : c === '*' || c === '?' || c === '\\' ? `\\${c}` : c;
    return { kind: 'wildcard', field, pattern };
  }

  /** A quoted or unquoted literal at the current position, or null when none starts here. */
  #literal(): Literal | null {
    const start = this.#pos;
    if (this.#text[start] === '"') return this.#quoted(start);
    const chars = this.#unquoted(start);
    if (chars.length === 0) {
      this.#pos = start;
      return null;
    }
    return { quoted: false, chars: trim(chars) };
  }

  #quoted(start: number): Literal {
    const text = this.#text;
    let i = start + 1;
    const chars: string[] = [];
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        this.#pos = i + 1;
        return { quoted: true, chars };
      }
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 't' || n === 'r' || n === 'n') {
          chars.push(n === 't' ? '\t' : n === 'r' ? '\r' : '\n');
          i += 2;
          continue;
        }
        if (n === 'u' && isHex(text.slice(i + 2, i + 6))) {
          chars.push(String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16)));
          i += 6;
          continue;
        }
        if (n === '\\' || n === '"') {
          chars.push(n);
          i += 2;
          continue;
        }
      }
      chars.push(c);
      i++;
    }
    this.#pos = text.length;
    throw new QuerySyntaxError('kql', `Expected "\\"" but end of input found (the quote at position ${start} is not closed).`, text.length);
  }

  #unquoted(start: number): LiteralChar[] {
    const text = this.#text;
    const chars: LiteralChar[] = [];
    let i = start;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 't' || n === 'r' || n === 'n') {
          chars.push(n === 't' ? '\t' : n === 'r' ? '\r' : '\n');
          i += 2;
          continue;
        }
        if (n !== undefined && SPECIAL.has(n)) {
          chars.push(n);
          i += 2;
          continue;
        }
        if (n === 'u' && isHex(text.slice(i + 2, i + 6))) {
          chars.push(String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16)));
          i += 6;
          continue;
        }
        const keyword = /^(or|and|not)/i.exec(text.slice(i + 1, i + 4));
        if (keyword) {
          chars.push(keyword[0]);
          i += 1 + keyword[0].length;
          continue;
        }
        break;
      }
      if (c === '*') {
        chars.push(null);
        i++;
        continue;
      }
      if (SPECIAL.has(c)) break;
      if (isSpace(c)) {
        // a run of whitespace ends the literal when `or`/`and` + whitespace follows it
        let end = i;
        while (isSpace(text[end])) end++;
        if (this.#wordAt(end, 'or') >= 0 || this.#wordAt(end, 'and') >= 0) break;
        for (let k = i; k < end; k++) chars.push(text[k]!);
        i = end;
        continue;
      }
      if ((c === 'n' || c === 'N') && (i === start || isSpace(text[i - 1])) && this.#wordAt(i, 'not') >= 0) break;
      chars.push(c);
      i++;
    }
    this.#pos = i;
    return chars;
  }
}

/** JavaScript's trim() on a literal: whitespace at both ends goes, wildcards stay. */
function trim(chars: LiteralChar[]): LiteralChar[] {
  let start = 0;
  let end = chars.length;
  while (start < end && chars[start] !== null && chars[start]!.trim() === '') start++;
  while (end > start && chars[end - 1] !== null && chars[end - 1]!.trim() === '') end--;
  return start === 0 && end === chars.length ? chars : chars.slice(start, end);
}

function joinLiteral(literal: Literal): string {
  let out = '';
  for (const c of literal.chars) out += c === null ? '*' : c;
  return out;
}
