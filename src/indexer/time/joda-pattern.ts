/**
 * Tokens of Joda-Time date patterns (the syntax of Logstash's date filter and of
 * `%{+yyyy.MM.dd}` in sprintf): runs of one pattern letter (`yyyy`, `MMM`), quoted
 * literal text (`'T'`, `''` for a quote), and any other character as a literal.
 */

export type JodaToken = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string };

export class JodaPatternError extends Error {
  readonly pattern: string;
  readonly column: number;
  constructor(pattern: string, column: number, reason: string) {
    super(`invalid date pattern ${JSON.stringify(pattern)} at column ${column}: ${reason}`);
    this.name = 'JodaPatternError';
    this.pattern = pattern;
    this.column = column;
  }
}

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Splits a pattern into tokens; `letters` are the pattern letters the caller supports. */
export function tokenizeJoda(pattern: string, letters: string): JodaToken[] {
  const tokens: JodaToken[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new JodaPatternError(pattern, i + 1, 'unclosed quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      literal(text);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      if (!letters.includes(c)) throw new JodaPatternError(pattern, i + 1, `unsupported pattern letter "${c}" (quote literal text with '...')`);
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, count: j - i });
      i = j;
      continue;
    }
    literal(c);
    i++;
  }
  return tokens;
}
