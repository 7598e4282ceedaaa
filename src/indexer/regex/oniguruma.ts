/**
 * Regexes written for Logstash (Ruby/Joni, Oniguruma syntax) compiled to JavaScript.
 *
 * Two engines:
 * * `native`: a small translator for the subset that maps straight onto a plain
 *   `RegExp` — the subset our grok pattern library is written in, and nearly every
 *   user regex. It also emulates atomic groups `(?>…)` with `(?=(…))\n`, `\h`, `\A`,
 *   `\z`, `\Z`, POSIX brackets, `{,n}`.
 * * `oniguruma-to-es`: the maintained full translator, used for anything else
 *   (possessive quantifiers, `\p{…}`, inline flags, subroutines, absent operator…).
 *
 * Semantics kept from Ruby in both: `^`/`$` are line anchors, `.` excludes only `\n`,
 * `\d`/`\w`/`\s` are ASCII, and when a regex has named groups its unnamed `(…)` groups
 * do not capture. Known difference: `$` also matches before `\r` (JS multiline mode).
 *
 * The result reports, for each named group, the index of its capture in `exec` results,
 * and for each Oniguruma group number its index (for `\1` in replacements).
 */
import { EmulatedRegExp, toRegExpDetails } from 'oniguruma-to-es';

export type RegexEngine = 'native' | 'oniguruma-to-es';

export interface CompiledRegex {
  readonly regex: RegExp;
  readonly engine: RegexEngine;
  /** Named groups in order of appearance, with their index in exec results. */
  readonly named: readonly { name: string; index: number }[];
  /** exec index of Oniguruma group number n at position n - 1. */
  readonly numbered: readonly number[];
}

export class RegexSyntaxError extends Error {
  readonly source: string;
  constructor(source: string, reason: string) {
    super(`invalid regular expression ${JSON.stringify(source.length > 200 ? `${source.slice(0, 200)}…` : source)}: ${reason}`);
    this.name = 'RegexSyntaxError';
    this.source = source;
  }
}

export interface CompileRegexOptions {
  /** `auto` (default): native when the translator supports the regex, else oniguruma-to-es. */
  engine?: 'auto' | RegexEngine;
  ignoreCase?: boolean;
  /** Adds the `g` flag (for replace-all). */
  global?: boolean;
}

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\t\\n\\v\\f\\r ', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9a-fA-F', word: '\\w', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~', ascii: '\\x00-\\x7f',
};
const ASCII_CLASS: Record<string, string> = { d: '0-9', w: 'a-zA-Z0-9_', s: '\\t\\n\\v\\f\\r ' };
const SIMPLE_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 't', 'n', 'r', 'f', 'v']);

class Unsupported extends Error {}

/** Compiles an Oniguruma regex; throws RegexSyntaxError. */
export function compileOniguruma(source: string, options: CompileRegexOptions = {}): CompiledRegex {
  const engine = options.engine ?? 'auto';
  let ignoreCase = options.ignoreCase ?? false;
  let body = source;
  if (body.startsWith('(?i)')) {
    ignoreCase = true;
    body = body.slice(4);
  }
  const named = hasNamedGroups(body);
  if (engine !== 'oniguruma-to-es') {
    try {
      const t = translate(body, named, 'js');
      const regex = new RegExp(t.out, `m${ignoreCase ? 'i' : ''}${options.global ? 'g' : ''}`);
      return { regex, engine: 'native', named: t.named, numbered: t.numbered };
    } catch (error) {
      if (engine === 'native') throw new RegexSyntaxError(source, error instanceof Unsupported ? `needs oniguruma-to-es: ${error.message}` : (error as Error).message);
    }
  }
  let t: Translation;
  try {
    t = translate(body, named, 'onig');
  } catch (error) {
    throw new RegexSyntaxError(source, (error as Error).message);
  }
  try {
    const details = toRegExpDetails(t.out, { flags: ignoreCase ? 'i' : '', global: options.global ?? false, rules: { asciiWordBoundaries: true } });
    const regex = details.options ? new EmulatedRegExp(details.pattern, details.flags, details.options) : new RegExp(details.pattern, details.flags);
    // oniguruma-to-es keeps Oniguruma's group numbers in exec results (hidden groups removed).
    const numbered = t.numbered.map((_, i) => i + 1);
    const namedGroups = t.named.map((g, i) => ({ name: g.name, index: named ? i + 1 : g.index }));
    return { regex, engine: 'oniguruma-to-es', named: namedGroups, numbered };
  } catch (error) {
    throw new RegexSyntaxError(source, (error as Error).message);
  }
}

interface Translation {
  out: string;
  named: { name: string; index: number }[];
  numbered: number[];
}

/** Whether the regex has named groups (then its unnamed groups do not capture). */
function hasNamedGroups(source: string): boolean {
  let inClass = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') inClass++;
    else if (c === ']' && inClass > 0) inClass--;
    else if (c === '(' && inClass === 0 && groupName(source, i) !== null) return true;
  }
  return false;
}

/** The name and length of the opener when `(` at i opens a named group. */
function groupName(source: string, i: number): { name: string; length: number } | null {
  const m = /^\(\?(?:<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)'|P<([A-Za-z_][A-Za-z0-9_]*)>)/.exec(source.slice(i, i + 200));
  if (m === null) return null;
  return { name: (m[1] ?? m[2] ?? m[3])!, length: m[0].length };
}

/**
 * One pass over the regex. Mode `js` produces native JS (throws Unsupported for what it
 * cannot map); mode `onig` produces Oniguruma for oniguruma-to-es with ASCII `\d\w\s`.
 */
function translate(source: string, namedMode: boolean, mode: 'js' | 'onig'): Translation {
  const js = mode === 'js';
  const unsupported = (what: string) => {
    if (js) throw new Unsupported(what);
  };
  let out = '';
  let captures = 0;
  const named: { name: string; index: number }[] = [];
  const numbered: number[] = [];
  const stack: { atomic: number }[] = [];
  let afterQuantifier = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const quantifierBefore: boolean = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) throw new Error('a regex cannot end with "\\"');
      let text = `\\${e}`;
      let length = 2;
      if (e === 'd' || e === 'w' || e === 's') text = `[${ASCII_CLASS[e]}]`;
      else if (e === 'D' || e === 'W' || e === 'S') text = `[^${ASCII_CLASS[e.toLowerCase()]}]`;
      else if (SIMPLE_ESCAPES.has(e)) text = `\\${e}`;
      else if (e === 'h') text = '[0-9a-fA-F]';
      else if (e === 'H' && js) text = '[^0-9a-fA-F]';
      else if (e === 'A' && js) text = '(?<![\\s\\S])';
      else if (e === 'z' && js) text = '(?![\\s\\S])';
      else if (e === 'Z' && js) text = '(?=\\n?(?![\\s\\S]))';
      else if (e === 'x' && /^[0-7][0-9a-fA-F]$/.test(source.slice(i + 2, i + 4))) {
        text = source.slice(i, i + 4);
        length = 4;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        text = source.slice(i, i + 6);
        length = 6;
      } else if (e === '0' && !/[0-9]/.test(source[i + 2] ?? '')) text = '\\0';
      else if (/[A-Za-z0-9]/.test(e)) unsupported(`escape \\${e}`);
      // js: \d etc. are ASCII in non-unicode JS regexes already; keep them short there.
      if (js && (e === 'd' || e === 'w' || e === 'D' || e === 'W')) text = `\\${e}`;
      out += text;
      i += length;
      continue;
    }
    if (c === '[') {
      const end = translateClass(source, i, js, (s) => (out += s));
      i = end;
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?#', i)) {
        const close = source.indexOf(')', i);
        if (close === -1) throw new Error('unclosed comment group');
        i = close + 1;
        continue;
      }
      const name = groupName(source, i);
      if (name !== null) {
        const index = ++captures;
        named.push({ name: name.name, index });
        numbered.push(index);
        stack.push({ atomic: 0 });
        out += js ? '(' : `(?<${name.name}>`;
        i += name.length;
        continue;
      }
      if (source.startsWith('(?>', i) && js) {
        const index = ++captures;
        stack.push({ atomic: index });
        out += '(?=(';
        i += 3;
        continue;
      }
      const opener = /^\(\?(?::|=|!|<=|<!)/.exec(source.slice(i, i + 4))?.[0];
      if (opener !== undefined) {
        stack.push({ atomic: 0 });
        out += opener;
        i += opener.length;
        continue;
      }
      if (source[i + 1] === '?') {
        unsupported(`group syntax ${source.slice(i, i + 4)}`);
        stack.push({ atomic: 0 });
        out += '(';
        i++;
        continue;
      }
      stack.push({ atomic: 0 });
      if (namedMode) {
        out += '(?:';
      } else {
        const index = ++captures;
        numbered.push(index);
        out += '(';
      }
      i++;
      continue;
    }
    if (c === ')') {
      const group = stack.pop();
      if (group === undefined) throw new Error('unmatched ")"');
      out += group.atomic > 0 ? `))(?:\\${group.atomic})` : ')';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (c === '+' && quantifierBefore) unsupported('possessive quantifier');
      out += c;
      afterQuantifier = c !== '?' || !quantifierBefore;
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(i, i + 24));
      if (m !== null && (m[1] !== '' || m[3] !== '')) {
        out += m[1] === '' ? `{0,${m[3]}}` : m[0];
        afterQuantifier = true;
        i += m[0].length;
        continue;
      }
      out += js ? '\\{' : '{';
      i++;
      continue;
    }
    if (c === '.' && js) {
      out += '[^\\n]';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (stack.length > 0) throw new Error('unclosed "("');
  return { out, named, numbered };
}

/** Translates the class starting at `start`; returns the index after it. */
function translateClass(source: string, start: number, js: boolean, emit: (s: string) => void): number {
  let i = start + 1;
  let out = '[';
  if (source[i] === '^') {
    out += '^';
    i++;
  }
  if (source[i] === ']') {
    out += '\\]';
    i++;
  }
  for (;;) {
    const c = source[i];
    if (c === undefined) throw new Error('unclosed "["');
    if (c === ']') {
      emit(`${out}]`);
      return i + 1;
    }
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) throw new Error('unclosed "["');
      if (e === 'd' || e === 'w' || e === 's') out += js && e !== 's' ? `\\${e}` : ASCII_CLASS[e];
      else if (e === 'h') out += '0-9a-fA-F';
      else if (SIMPLE_ESCAPES.has(e) || !/[A-Za-z0-9]/.test(e)) out += `\\${e}`;
      else if (e === 'x' && /^[0-7][0-9a-fA-F]$/.test(source.slice(i + 2, i + 4))) {
        out += source.slice(i, i + 4);
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        out += source.slice(i, i + 6);
        i += 4;
      } else if (js) throw new Unsupported(`escape \\${e} in a character class`);
      else out += `\\${e}`;
      i += 2;
      continue;
    }
    if (c === '[') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i, i + 12));
      if (posix !== null && POSIX[posix[2]!] !== undefined && posix[1] === '') {
        out += POSIX[posix[2]!];
        i += posix[0].length;
        continue;
      }
      if (js) throw new Unsupported('nested character class');
      // onig mode: copy the nested class verbatim for oniguruma-to-es
      let depth = 0;
      let j = i;
      for (; j < source.length; j++) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') depth++;
        else if (source[j] === ']' && --depth === 0) break;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '&' && source[i + 1] === '&' && js) throw new Unsupported('class intersection');
    out += c;
    i++;
  }
}
