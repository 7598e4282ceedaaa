/**
 * The `filters:` list of a pipeline: filters in order, and `if / else_if / else` blocks,
 * as written in the YAML config:
 *
 *   filters:
 *     - grok: { match: { message: "%{COMBINEDAPACHELOG}" } }
 *     - if: '[response] >= 500'
 *       then:
 *         - mutate: { add_tag: [server_error] }
 *       else_if:
 *         - condition: '[response] >= 400'
 *           then: [ { mutate: { add_tag: [client_error] } } ]
 *       else:
 *         - drop: {}
 *
 * `filtersSchema` validates such a list for the config loader: unknown filters, bad
 * options, bad grok pattern names, bad regexes and bad condition syntax are zod issues at
 * their key path (`[2, 'grok', 'match', 'message']`, below wherever the list sits), with
 * `params.column` for a position inside a string; its output is the list with every
 * option's default filled in. `validateFilters` returns the same problems as data;
 * `compileFilters` builds the runnable pipeline (throwing a LoglaneError listing the
 * problems, if any).
 */
import { z } from 'zod';
import { type Condition, compileCondition } from './conditions/condition.ts';
import { ConditionSyntaxError } from './conditions/lexer.ts';
import { type ConfigProblem, closest, problemsError, zodProblems } from './config-problems.ts';
import type { Event } from './event.ts';
import { buildFilter, type CommonOptions, defaultContext, type Filter, type FilterContext } from './filters/filter.ts';
import { OptionError } from './filters/options.ts';
import { FILTER_NAMES, filterDefinition } from './filters/registry.ts';

/** One validated step: a filter with its options (defaults filled), or a conditional block. */
export type FilterStepConfig = { [filter: string]: Record<string, unknown> } | ConditionalConfig;

export interface ConditionalConfig {
  if: string;
  then: FilterStepConfig[];
  else_if?: { condition: string; then: FilterStepConfig[] }[];
  else?: FilterStepConfig[];
}

export interface FilterPipeline {
  /** The events that come out of the filters for one event in (none when dropped). */
  run(event: Event): Event[];
  /** Runs a batch; the output keeps the input order. */
  runBatch(events: readonly Event[]): Event[];
  /** Every filter instance, in config order (ids, names). */
  readonly filters: readonly Filter[];
}

const IF_KEYS = ['if', 'then', 'else_if', 'else'];

interface Compiled {
  problems: ConfigProblem[];
  steps: FilterStepConfig[];
  /** Builds the runnable chain given what follows it. */
  chain: ((next: (event: Event) => void) => (event: Event) => void) | undefined;
  filters: Filter[];
}

/** Validates (and compiles, to find every problem) a `filters:` list. */
export function validateFilters(raw: unknown, context: FilterContext = defaultContext): { steps: FilterStepConfig[]; problems: ConfigProblem[] } {
  const { steps, problems } = compileList(raw, [], context);
  return { steps, problems };
}

/** Builds the runnable pipeline; throws LoglaneError (LOGLANE_ERR_CONFIG_INVALID) listing every problem. */
export function compileFilters(raw: unknown, context: FilterContext = defaultContext): FilterPipeline {
  const compiled = compileList(raw, [], context);
  if (compiled.problems.length > 0 || compiled.chain === undefined) throw problemsError(compiled.problems, 'filters');
  let sink: Event[] = [];
  const head = compiled.chain((event) => sink.push(event));
  return {
    filters: compiled.filters,
    run(event) {
      const out: Event[] = [];
      sink = out;
      head(event);
      return out;
    },
    runBatch(events) {
      const out: Event[] = [];
      sink = out;
      for (const event of events) head(event);
      return out;
    },
  };
}

/** The zod schema of a `filters:` list, for the config loader. */
export const filtersSchema = z
  .array(z.unknown(), { error: 'a list of filters (- grok: {...}) and conditionals (- if: ...)' })
  .default([])
  .transform((list, ctx) => {
    const { steps, problems } = validateFilters(list);
    for (const p of problems) {
      ctx.issues.push({ code: 'custom', message: p.message, path: p.path, input: p.found, params: p.column === undefined ? undefined : { column: p.column } });
    }
    return steps;
  });

function compileList(raw: unknown, prefix: (string | number)[], context: FilterContext): Compiled {
  const result: Compiled = { problems: [], steps: [], chain: undefined, filters: [] };
  if (raw === undefined || raw === null) raw = [];
  if (!Array.isArray(raw)) {
    result.problems.push({ path: prefix, message: 'a list of filters (- grok: {...}) and conditionals (- if: ...)', found: raw });
    return result;
  }
  const chains: ((next: (event: Event) => void) => (event: Event) => void)[] = [];
  raw.forEach((item, index) => {
    const step = compileStep(item, [...prefix, index], context);
    result.problems.push(...step.problems);
    if (step.steps[0] !== undefined) result.steps.push(step.steps[0]);
    result.filters.push(...step.filters);
    if (step.chain !== undefined) chains.push(step.chain);
  });
  if (result.problems.length === 0) {
    result.chain = (next) => {
      let current = next;
      for (let i = chains.length - 1; i >= 0; i--) current = chains[i]!(current);
      return current;
    };
  }
  return result;
}

function compileStep(item: unknown, path: (string | number)[], context: FilterContext): Compiled {
  const fail = (problem: ConfigProblem): Compiled => ({ problems: [problem], steps: [], chain: undefined, filters: [] });
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return fail({ path, message: 'a filter (e.g. - grok: {...}) or a conditional (- if: ...)', found: item });
  }
  const keys = Object.keys(item);
  if (keys.includes('if')) return compileConditional(item as Record<string, unknown>, path, context);
  if (keys.length !== 1) {
    return fail({ path, message: `one filter per list item, found ${keys.length === 0 ? 'none' : keys.join(', ')}; write each filter as its own "- name: {...}" item`, found: item });
  }
  const name = keys[0]!;
  const definition = filterDefinition(name);
  if (definition === undefined) {
    const hint = closest(name, [...FILTER_NAMES, 'if']);
    return fail({ path: [...path, name], message: `a known filter${hint ? ` (did you mean "${hint}"?)` : ''}: ${FILTER_NAMES.join(', ')}, or "if"`, found: name });
  }
  const raw = (item as Record<string, unknown>)[name] ?? {};
  const parsed = definition.schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const known = (p: PropertyKey[]) => (p.length === 0 ? [...definition.optionNames] : []);
    return { problems: zodProblems(parsed.error.issues, [...path, name], raw, known), steps: [], chain: undefined, filters: [] };
  }
  let filter: Filter;
  try {
    const options = parsed.data as CommonOptions;
    filter = buildFilter(name, options, definition.create(options as never, context));
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    const found = valueAt(raw, error.path);
    const problem: ConfigProblem = { path: [...path, name, ...error.path], message: error.message, found };
    if (error.column !== undefined) problem.column = error.column;
    return fail(problem);
  }
  return {
    problems: [],
    steps: [{ [name]: parsed.data as Record<string, unknown> }],
    filters: [filter],
    chain: (next) => (event) => {
      const out = filter.apply(event);
      if (out === null) return;
      if (Array.isArray(out)) for (const e of out) next(e);
      else next(out);
    },
  };
}

function compileConditional(block: Record<string, unknown>, path: (string | number)[], context: FilterContext): Compiled {
  const problems: ConfigProblem[] = [];
  const filters: Filter[] = [];
  for (const key of Object.keys(block)) {
    if (!IF_KEYS.includes(key)) {
      const hint = /^(?:elif|elsif|elseif|else if|else-if|elseIf)$/.test(key) ? 'else_if' : closest(key, IF_KEYS);
      problems.push({ path: [...path, key], message: `a key of a conditional block (if, then, else_if, else)${hint ? `; did you mean "${hint}"?` : ''}`, found: key });
    }
  }
  const condition = (text: unknown, at: (string | number)[]): Condition | undefined => {
    if (typeof text !== 'string') {
      problems.push({ path: at, message: 'a condition, e.g. \'[level] == "ERROR"\'', found: text });
      return undefined;
    }
    try {
      return compileCondition(text);
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      problems.push({ path: at, message: `a valid condition (at column ${error.column} it needs ${error.expected}, not ${error.found})`, found: text, column: error.column });
      return undefined;
    }
  };
  const branch = (raw: unknown, at: (string | number)[], required: boolean) => {
    if (raw === undefined && required) {
      problems.push({ path: at, message: 'a "then:" list of filters to run when the condition holds' });
      return undefined;
    }
    const compiled = compileList(raw, at, context);
    problems.push(...compiled.problems);
    filters.push(...compiled.filters);
    return compiled;
  };

  const ifCondition = condition(block.if, [...path, 'if']);
  const thenBranch = branch(block.then, [...path, 'then'], true);
  const elseIfs: { condition: Condition | undefined; branch: Compiled | undefined; text: string }[] = [];
  if (block.else_if !== undefined) {
    if (!Array.isArray(block.else_if)) {
      problems.push({ path: [...path, 'else_if'], message: 'a list of { condition: ..., then: [...] }', found: block.else_if });
    } else {
      block.else_if.forEach((entry, i) => {
        const at = [...path, 'else_if', i];
        if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
          problems.push({ path: at, message: 'a mapping { condition: ..., then: [...] }', found: entry });
          return;
        }
        const e = entry as Record<string, unknown>;
        for (const key of Object.keys(e)) {
          if (key !== 'condition' && key !== 'then') problems.push({ path: [...at, key], message: 'a key of an else_if entry (condition, then)', found: key });
        }
        elseIfs.push({ condition: condition(e.condition, [...at, 'condition']), branch: branch(e.then, [...at, 'then'], true), text: String(e.condition) });
      });
    }
  }
  const elseBranch = block.else === undefined ? undefined : branch(block.else, [...path, 'else'], false);

  if (problems.length > 0) return { problems, steps: [], chain: undefined, filters };
  // The config keys are `then`, as users write them; these objects are never awaited.
  // biome-ignore lint/suspicious/noThenProperty: the config key users write
  const step: ConditionalConfig = { if: block.if as string, then: thenBranch!.steps };
  // biome-ignore lint/suspicious/noThenProperty: the config key users write
  if (elseIfs.length > 0) step.else_if = elseIfs.map((e) => ({ condition: e.text, then: e.branch!.steps }));
  if (elseBranch !== undefined) step.else = elseBranch.steps;

  const tests = [{ condition: ifCondition!, branch: thenBranch! }, ...elseIfs.map((e) => ({ condition: e.condition!, branch: e.branch! }))];
  return {
    problems,
    steps: [step],
    filters,
    chain: (next) => {
      const conditions = tests.map((t) => t.condition);
      const runs = tests.map((t) => t.branch.chain!(next));
      const otherwise = elseBranch === undefined ? next : elseBranch.chain!(next);
      return (event) => {
        for (let i = 0; i < conditions.length; i++) {
          if (conditions[i]!(event)) {
            runs[i]!(event);
            return;
          }
        }
        otherwise(event);
      };
    },
  };
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
