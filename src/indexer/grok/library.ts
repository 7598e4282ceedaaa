/**
 * Grok pattern libraries: our own pattern files (./patterns/*.grok, loaded once), plus
 * user pattern files (`patterns_dir`, the Logstash format: `NAME regex` per line, `#`
 * comments) and inline `pattern_definitions`, later sources overriding earlier ones.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const PATTERN_NAME = /^[A-Za-z0-9_]+$/;

export class PatternFileError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'PatternFileError';
    this.file = file;
    this.line = line;
  }
}

export class PatternLibrary {
  readonly #patterns: ReadonlyMap<string, string>;

  constructor(patterns: ReadonlyMap<string, string>) {
    this.#patterns = patterns;
  }

  get(name: string): string | undefined {
    return this.#patterns.get(name);
  }

  has(name: string): boolean {
    return this.#patterns.has(name);
  }

  names(): string[] {
    return [...this.#patterns.keys()];
  }

  /** A new library with `definitions` added (overriding same-named patterns). */
  extend(definitions: ReadonlyMap<string, string> | Record<string, string>): PatternLibrary {
    const entries = definitions instanceof Map ? definitions : new Map(Object.entries(definitions));
    if (entries.size === 0) return this;
    return new PatternLibrary(new Map([...this.#patterns, ...entries]));
  }
}

/** Parses pattern file text; throws PatternFileError on a malformed line. */
export function parsePatternText(text: string, file: string): Map<string, string> {
  const patterns = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^([^\s]+)\s+(.*)$/.exec(trimmed);
    if (m === null) throw new PatternFileError(file, i + 1, `expected "NAME regex", found ${JSON.stringify(trimmed)}`);
    if (!PATTERN_NAME.test(m[1]!)) throw new PatternFileError(file, i + 1, `pattern names are letters, digits and _, found ${JSON.stringify(m[1])}`);
    patterns.set(m[1]!, m[2]!);
  });
  return patterns;
}

const BUILTIN_DIR = path.join(import.meta.dirname, 'patterns');
let builtin: PatternLibrary | undefined;

/** Our pattern files, loaded on first use. */
export function builtinLibrary(): PatternLibrary {
  if (builtin === undefined) {
    const patterns = new Map<string, string>();
    for (const name of readdirSync(BUILTIN_DIR).sort()) {
      if (!name.endsWith('.grok')) continue;
      for (const [k, v] of parsePatternText(readFileSync(path.join(BUILTIN_DIR, name), 'utf8'), name)) patterns.set(k, v);
    }
    builtin = new PatternLibrary(patterns);
  }
  return builtin;
}

/**
 * Patterns from the files of `dirs` whose names match `glob` (`*` and `?` only, like
 * Logstash's `patterns_files_glob`); files are read in name order. Throws
 * PatternFileError, or a Node error when a directory cannot be read.
 */
export function loadPatternDirs(dirs: readonly string[], glob = '*'): Map<string, string> {
  const matcher = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  const patterns = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!matcher.test(name) || !statSync(file).isFile()) continue;
      for (const [k, v] of parsePatternText(readFileSync(file, 'utf8'), file)) patterns.set(k, v);
    }
  }
  return patterns;
}
