/**
 * Tokens of Logstash conditional expressions, each with its 1-based column.
 *
 * `[` starts a field selector (`[a][b]`) or a list (`["a", "b"]`, `[1, 2]`, `[]`). As in
 * Logstash `[200]` is a selector (the field "200"); unlike Logstash, `["a"]` is a
 * one-element list (Logstash reads it as a field named `"a"`, a well-known trap).
 */

export type Token =
  | { kind: 'op'; value: string; column: number }
  | { kind: 'word'; value: string; column: number }
  | { kind: 'string'; value: string; column: number }
  | { kind: 'number'; value: number; column: number }
  | { kind: 'regex'; value: string; column: number }
  | { kind: 'selector'; value: string; column: number }
  | { kind: 'list-start'; column: number }
  | { kind: 'end'; column: number };

export class ConditionSyntaxError extends Error {
  readonly expression: string;
  /** 1-based column in the expression. */
  readonly column: number;
  readonly expected: string;
  readonly found: string;
  constructor(expression: string, column: number, expected: string, found: string) {
    super(`column ${column}: expected ${expected}, found ${found}`);
    this.name = 'ConditionSyntaxError';
    this.expression = expression;
    this.column = column;
    this.expected = expected;
    this.found = found;
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '=~', '!~', '<', '>', '!', '(', ')', ',', ']'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // A `/` starts a regex only where a value is expected (after an operator), which is
  // always the case in this grammar: there is no division.
  while (i < text.length) {
    const c = text[i]!;
    const column = i + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ConditionSyntaxError(text, column, `a closing ${c}`, 'end of expression');
        const d = text[j]!;
        if (d === c) break;
        if (d === '\\' && j + 1 < text.length) {
          const e = text[j + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === c || e === '\\' ? e : `\\${e}`;
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      tokens.push({ kind: 'string', value, column });
      i = j + 1;
      continue;
    }
    if (c === '/') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ConditionSyntaxError(text, column, 'a closing / for the regex', 'end of expression');
        const d = text[j]!;
        if (d === '/') break;
        if (d === '\\' && text[j + 1] === '/') {
          value += '/';
          j += 2;
          continue;
        }
        if (d === '\\' && j + 1 < text.length) {
          value += d + text[j + 1];
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      tokens.push({ kind: 'regex', value, column });
      i = j + 1;
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      const inner = close === -1 ? text.slice(i + 1) : text.slice(i + 1, close);
      const trimmed = inner.trimStart();
      if (trimmed === '' || trimmed[0] === '"' || trimmed[0] === "'" || inner.includes(',') || trimmed[0] === '[') {
        tokens.push({ kind: 'list-start', column });
        i++;
        continue;
      }
      let j = i;
      while (text[j] === '[') {
        const end = text.indexOf(']', j);
        if (end === -1) throw new ConditionSyntaxError(text, j + 1, 'a closing ] for the field reference', 'end of expression');
        const key = text.slice(j + 1, end);
        if (key.includes('[')) throw new ConditionSyntaxError(text, j + 1 + key.indexOf('[') + 1, 'a field name', '"["');
        if (key.length === 0) throw new ConditionSyntaxError(text, j + 1, 'a field name', '"[]"');
        j = end + 1;
      }
      tokens.push({ kind: 'selector', value: text.slice(i, j), column });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^-?\d+(?:\.\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', value: Number(m[0]), column });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', value: m[0], column });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) {
      if (c === '=') throw new ConditionSyntaxError(text, column, '"==" or "=~"', '"="');
      if (text.startsWith('&&', i)) throw new ConditionSyntaxError(text, column, '"and"', '"&&"');
      if (text.startsWith('||', i)) throw new ConditionSyntaxError(text, column, '"or"', '"||"');
      throw new ConditionSyntaxError(text, column, 'an operator, a value or a field reference', `"${c}"`);
    }
    tokens.push({ kind: 'op', value: op, column });
    i += op.length;
  }
  tokens.push({ kind: 'end', column: text.length + 1 });
  return tokens;
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return `string ${JSON.stringify(token.value)}`;
    case 'number':
      return `number ${token.value}`;
    case 'regex':
      return `regex /${token.value}/`;
    case 'selector':
      return `field ${token.value}`;
    case 'list-start':
      return 'a list';
    default:
      return `"${token.value}"`;
  }
}
