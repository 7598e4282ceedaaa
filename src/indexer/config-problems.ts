/**
 * Problems found in the indexer's parts of the configuration, in a shape the config
 * loader can place (key path, plus the column inside a string value when it applies) and
 * phrased to follow "expected …".
 */
import type { z } from 'zod';
import { LoglaneError } from '../errors/loglane-error.ts';
import { closest } from '../config/suggest.ts';

export { closest };

export interface ConfigProblem {
  /** Key path inside the checked value, e.g. [2, 'grok', 'match', 'message']. */
  path: (string | number)[];
  /** What was expected, e.g. `a known grok pattern; did you mean IPORHOST?`. */
  message: string;
  /** The offending value, when there is one. */
  found?: unknown;
  /** 1-based column inside the string value (condition syntax, grok expressions). */
  column?: number;
}

/** `filters[2].grok.match.message` */
export function formatProblemPath(path: readonly (string | number)[], root = ''): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_@][\w@-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: ConfigProblem, root = ''): string {
  const where = formatProblemPath(problem.path, root);
  const column = problem.column === undefined ? '' : ` (column ${problem.column})`;
  const found = problem.found === undefined ? '' : `, found ${describeValue(problem.found)}`;
  return `${where === '' ? '' : `${where}: `}expected ${problem.message}${found}${column}`;
}

/** A LoglaneError listing problems (code LOGLANE_ERR_CONFIG_INVALID, not retriable). */
export function problemsError(problems: ConfigProblem[], root = ''): LoglaneError {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const lines = problems.map((p) => `  ${formatProblem(p, root)}`).join('\n');
  return new LoglaneError('LOGLANE_ERR_CONFIG_INVALID', `filter configuration has ${problems.length} ${noun}:\n${lines}`, { retriable: false, context: { problems } });
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Zod issues as problems below `prefix`; unknown keys get the known ones and a suggestion. */
export function zodProblems(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[], input: unknown, knownKeys: (path: PropertyKey[]) => string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        const hint = closest(key, known);
        problems.push({ path: [...prefix, ...path, key], message: `a known option${hint ? ` (did you mean "${hint}"?)` : ''}; known here: ${known.join(', ')}`, found: key });
      }
      continue;
    }
    const params = (issue as { params?: { column?: unknown } }).params;
    const column = typeof params?.column === 'number' ? params.column : undefined;
    const found = valueAt(input, path);
    const problem: ConfigProblem = { path: [...prefix, ...path], message: expectation(issue) };
    if (found !== undefined || issue.code !== 'invalid_type') problem.found = found;
    if (column !== undefined) problem.column = column;
    problems.push(problem);
  }
  return problems;
}

function expectation(issue: z.core.$ZodIssue): string {
  // A message written in our schemas says what is expected; zod's own ones are generic.
  if (issue.code !== 'custom' && issue.code !== 'too_small' && !/^(?:Invalid|Too (?:small|big)|Unrecognized)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'array' ? 'a list' : issue.expected === 'object' || issue.expected === 'record' ? 'a mapping' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const options = issue.errors.map((branch) => (branch[0] === undefined ? 'another form' : expectation(branch[0])));
      return [...new Set(options)].join(' or ');
    }
    case 'too_small':
      if (issue.origin === 'array') return `a list of at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}${issue.message.startsWith('Too small') ? '' : ` (${issue.message})`}`;
      if (issue.origin === 'string') return `a string of at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}`;
      return `a value ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `a list of at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `a string of at most ${issue.maximum} characters`;
      return `a value ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
