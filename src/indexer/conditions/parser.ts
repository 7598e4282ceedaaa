/**
 * Parser of Logstash conditionals (the text after `if:` in the pipeline config):
 *
 *   condition  := xorExpr ('or' xorExpr)*
 *   xorExpr    := andExpr ('xor' andExpr)*
 *   andExpr    := unary (('and' | 'nand') unary)*
 *   unary      := ('!' | 'not') unary | '(' condition ')' | test
 *   test       := value (('==' | '!=' | '<' | '>' | '<=' | '>=') value
 *                       | ('=~' | '!~') (regex | string)
 *                       | 'not'? 'in' value)?
 *   value      := string | number | true | false | [field][ref] | list
 *   list       := '[' (value (',' value)*)? ']'
 *
 * `and`/`nand` bind tighter than `xor`, which binds tighter than `or` (use parentheses
 * to be explicit). `not` is accepted as a synonym of Logstash's `!`, and `!` applies to
 * any operand. A syntax error names the column and what was expected there.
 */
import { type FieldRef, parseFieldRef } from '../field-ref.ts';
import { type CompiledRegex, compileOniguruma } from '../regex/oniguruma.ts';
import { ConditionSyntaxError, describeToken, type Token, tokenize } from './lexer.ts';

export type Value = { type: 'field'; ref: FieldRef } | { type: 'literal'; value: string | number | boolean } | { type: 'list'; items: Value[] };

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type Expr =
  | { type: 'or' | 'and' | 'xor' | 'nand'; left: Expr; right: Expr }
  | { type: 'not'; operand: Expr }
  | { type: 'compare'; op: CompareOp; left: Value; right: Value }
  | { type: 'match'; negate: boolean; left: Value; regex: CompiledRegex }
  | { type: 'in'; negate: boolean; left: Value; right: Value }
  | { type: 'truthy'; value: Value };

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const VALUE = 'a value (a "string", a number, a [field] or a [list])';

export function parseCondition(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const fail = (expected: string, token: Token = peek()): never => {
    throw new ConditionSyntaxError(text, token.column, expected, describeToken(token));
  };
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.value === word;
  const isOp = (token: Token, op: string) => token.kind === 'op' && token.value === op;

  function condition(): Expr {
    let left = xorExpr();
    while (isWord(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: xorExpr() };
    }
    return left;
  }

  function xorExpr(): Expr {
    let left = andExpr();
    while (isWord(peek(), 'xor')) {
      next();
      left = { type: 'xor', left, right: andExpr() };
    }
    return left;
  }

  function andExpr(): Expr {
    let left = unary();
    for (;;) {
      const t = peek();
      if (!isWord(t, 'and') && !isWord(t, 'nand')) return left;
      next();
      left = { type: (t as { value: string }).value as 'and' | 'nand', left, right: unary() };
    }
  }

  function unary(): Expr {
    const t = peek();
    if (isOp(t, '!') || (isWord(t, 'not') && !isWord(tokens[pos + 1]!, 'in'))) {
      next();
      return { type: 'not', operand: unary() };
    }
    if (isOp(t, '(')) {
      next();
      const inner = condition();
      if (!isOp(peek(), ')')) fail('")" or an operator (and, or, xor, nand)');
      next();
      return inner;
    }
    return test();
  }

  function test(): Expr {
    const left = value();
    const t = peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.value)) {
      next();
      return { type: 'compare', op: t.value as CompareOp, left, right: value(`${VALUE} after "${t.value}"`) };
    }
    if (isOp(t, '=~') || isOp(t, '!~')) {
      next();
      const r = next();
      if (r.kind !== 'regex' && r.kind !== 'string') fail(`a /regex/ after "${(t as { value: string }).value}"`, r);
      let regex: CompiledRegex;
      try {
        regex = compileOniguruma((r as { value: string }).value);
      } catch (error) {
        throw new ConditionSyntaxError(text, r.column, 'a valid regex', `${describeToken(r)} (${(error as Error).message.replace(/^invalid regular expression .*?: /, '')})`);
      }
      return { type: 'match', negate: isOp(t, '!~'), left, regex };
    }
    if (isWord(t, 'in')) {
      next();
      return { type: 'in', negate: false, left, right: value(`${VALUE} after "in"`) };
    }
    if (isWord(t, 'not') && isWord(tokens[pos + 1]!, 'in')) {
      next();
      next();
      return { type: 'in', negate: true, left, right: value(`${VALUE} after "not in"`) };
    }
    return { type: 'truthy', value: left };
  }

  function value(expected = VALUE): Value {
    const t = next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { type: 'literal', value: t.value };
      case 'selector':
        return { type: 'field', ref: parseFieldRef(t.value) };
      case 'word':
        if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true' };
        return fail(`${expected}; quote text ("${t.value}") and write fields as [${t.value}]`, t);
      case 'list-start': {
        const items: Value[] = [];
        if (!isClose(peek())) {
          for (;;) {
            items.push(value('a list item (a "string" or a number)'));
            if (isOp(peek(), ',')) {
              next();
              continue;
            }
            break;
          }
        }
        if (!isClose(peek())) fail('"," or "]" in the list');
        next();
        return { type: 'list', items };
      }
      default:
        return fail(expected, t);
    }
  }

  const expr = condition();
  if (peek().kind !== 'end') fail('"and", "or", "xor", "nand" or the end of the condition');
  return expr;
}

/** The `]` that ends a list (a selector's own brackets never reach the parser). */
function isClose(token: Token): boolean {
  return token.kind === 'op' && token.value === ']';
}
