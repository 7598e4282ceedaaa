/**
 * Reading, interpolating and validating the one YAML configuration file.
 *
 * Every problem is reported with the file, line and column, the key path, what was
 * expected and what was found; all problems of a file are reported together, and nothing
 * starts until the configuration is valid. The result is deeply frozen.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import type { ErrorCode } from '../errors/codes.ts';
import { LoglaneError } from '../errors/loglane-error.ts';
import { interpolate, retypePlainScalar } from './interpolate.ts';
import { configSchema, type LoglaneConfig } from './schema.ts';
import { closest } from './suggest.ts';

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type Config = DeepReadonly<LoglaneConfig>;

export interface ConfigIssue {
  code: ErrorCode;
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `broker.listeners[0].port`; empty for the whole document. */
  path: string;
  message: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file that was read, or null when defaults were used. */
  file: string | null;
}

export const DEFAULT_CONFIG_FILES = ['loglane.yml', 'loglane.yaml'];

export interface LoadConfigOptions {
  /** An explicit file (from --config or LOGLANE_CONFIG): it must exist. */
  file?: string | undefined;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file ?? env.LOGLANE_CONFIG;
  const candidate = explicit ?? DEFAULT_CONFIG_FILES.find((name) => existsSync(path.resolve(cwd, name)));
  if (candidate === undefined) return { config: parseConfigText('', '(defaults)', env), file: null };
  const file = path.resolve(cwd, candidate);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new LoglaneError(
      'LOGLANE_ERR_CONFIG_READ',
      `cannot read configuration file ${candidate}: ${reason}; check the --config path (or LOGLANE_CONFIG)`,
      { retriable: false, cause, context: { file } },
    );
  }
  return { config: parseConfigText(text, candidate, env), file };
}

/** Parses, interpolates and validates configuration text; throws a LoglaneError listing every issue. */
export function parseConfigText(text: string, fileLabel: string, env: Readonly<Record<string, string | undefined>>): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };

  if (doc.errors.length > 0) {
    const issues = doc.errors.map<ConfigIssue>((error) => ({
      code: 'LOGLANE_ERR_CONFIG_SYNTAX',
      file: fileLabel,
      ...where(error.pos[0]),
      path: '',
      message: `${error.message.split('\n')[0]} (YAML syntax)`,
    }));
    throw configError('LOGLANE_ERR_CONFIG_SYNTAX', issues);
  }

  const issues: ConfigIssue[] = [];
  const envFailurePaths = new Set<string>();
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const keyPath = pathOf(ancestry, node);
      const result = interpolate(node.value, env);
      if (!result.ok) {
        envFailurePaths.add(keyPath);
        issues.push({ code: 'LOGLANE_ERR_CONFIG_ENV', file: fileLabel, ...where(node.range?.[0]), path: keyPath, message: result.failure.reason });
        return;
      }
      node.value = node.type === 'PLAIN' ? retypePlainScalar(result.value) : result.value;
    },
  });

  const raw = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({
      code: 'LOGLANE_ERR_CONFIG_INVALID',
      file: fileLabel,
      ...where(doc.contents?.range?.[0]),
      path: '',
      message: `expected a mapping of sections (data_dir, log, admin, ...), found ${describe(raw)}`,
    });
    throw configError('LOGLANE_ERR_CONFIG_INVALID', issues);
  }

  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const problem of explainIssue(issue, doc, fileLabel, where)) {
        if (!envFailurePaths.has(problem.path)) issues.push(problem);
      }
    }
  }
  if (issues.length > 0) throw configError(issues[0]!.code, issues);
  return deepFreeze(parsed.data as LoglaneConfig);
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

function configError(code: ErrorCode, issues: ConfigIssue[]): LoglaneError {
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  const message = `configuration has ${issues.length} ${noun}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`;
  return new LoglaneError(code, message, { retriable: false, context: { issues } });
}

type Segment = string | number;

function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function pathOf(ancestry: readonly unknown[], node: Node): string {
  const segments: Segment[] = [];
  const chain = [...ancestry, node];
  for (let i = 0; i < chain.length; i++) {
    const item = chain[i];
    if (isPair(item) && isScalar(item.key)) segments.push(String(item.key.value));
    else if (isSeq(item) && i + 1 < chain.length) segments.push(item.items.indexOf(chain[i + 1] as Node));
  }
  return formatPath(segments);
}

type Where = (offset: number | undefined) => { line: number; column: number };

/** The deepest node of the document along `segments`, and how many segments it matched. */
function deepestNode(doc: Document, segments: readonly PropertyKey[]): { node: Node | null; depth: number } {
  let node = doc.contents as Node | null;
  let depth = 0;
  for (const segment of segments) {
    let next: unknown;
    if (isMap(node)) next = node.get(segment as string, true);
    else if (isSeq(node) && typeof segment === 'number') next = node.get(segment, true);
    if (next === undefined || next === null || typeof next !== 'object') break;
    node = next as Node;
    depth++;
  }
  return { node, depth };
}

function explainIssue(issue: z.core.$ZodIssue, doc: Document, file: string, where: Where): ConfigIssue[] {
  const code = 'LOGLANE_ERR_CONFIG_INVALID';
  const { node, depth } = deepestNode(doc, issue.path);
  const position = where(node?.range?.[0]);
  const keyPath = formatPath(issue.path);
  const found = (issue as { input?: unknown }).input;

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      let keyOffset = node?.range?.[0];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (pair && isScalar(pair.key)) keyOffset = pair.key.range?.[0];
      }
      const suggestion = closest(key, known);
      const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
      const list = known.length > 0 ? ` Known keys here: ${known.join(', ')}.` : '';
      return {
        code,
        file,
        ...where(keyOffset),
        path: formatPath([...issue.path, key]),
        message: `unknown key "${key}"${hint}${list}`,
      };
    });
  }

  let expected: string;
  switch (issue.code) {
    case 'invalid_type':
      expected = found === undefined ? `a value of type ${issue.expected} (this key is required)` : `${article(issue.expected)} ${issue.expected}`;
      break;
    case 'invalid_value':
      expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'too_small':
      expected = issue.origin === 'string' ? `a string of at least ${issue.minimum} characters` : `a value ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
      break;
    case 'too_big':
      expected = issue.origin === 'string' ? `a string of at most ${issue.maximum} characters` : `a value ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
      break;
    default:
      expected = issue.message;
  }
  const missingKey = found === undefined && depth < issue.path.length;
  const foundText = missingKey ? 'nothing: the key is missing' : describe(found);
  return [{ code, file, ...position, path: keyPath, message: `expected ${expected}, found ${foundText}` }];
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The keys the schema knows at `segments` (for "did you mean"). */
function knownKeys(segments: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  for (const segment of [...segments, null]) {
    schema = unwrap(schema);
    if (segment === null) break;
    const def = (schema as { _zod?: { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown } } })._zod?.def;
    if (def?.type === 'object' && typeof segment === 'string') schema = def.shape?.[segment];
    else if (def?.type === 'array') schema = def.element;
    else if (def?.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = (schema as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod?: { def?: { innerType?: unknown; in?: unknown } } } | undefined;
  while (current?._zod?.def?.innerType ?? current?._zod?.def?.in) {
    current = (current._zod.def.innerType ?? current._zod.def.in) as typeof current;
  }
  return current;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
