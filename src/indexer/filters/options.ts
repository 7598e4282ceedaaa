/**
 * Schema building blocks for filter options: the Logstash shapes users write (a string
 * or a list of strings, field references, sprintf templates), checked once at config
 * time, with messages that read well after "expected".
 */
import { z } from 'zod';
import { type FieldRefSyntaxError, parseFieldRef } from '../field-ref.ts';
import { compileTemplate, TemplateSyntaxError } from '../sprintf.ts';

/** A problem found while creating a filter from valid-looking options. */
export class OptionError extends Error {
  /** Key path inside the filter's options (e.g. ['match', 'message']). */
  readonly path: readonly (string | number)[];
  /** 1-based column inside the option's string value, when it applies. */
  readonly column: number | undefined;
  constructor(path: readonly (string | number)[], message: string, column?: number) {
    super(message);
    this.name = 'OptionError';
    this.path = path;
    this.column = column;
  }
}

function refIssue(value: string): { message: string; column: number } | undefined {
  try {
    parseFieldRef(value);
    return undefined;
  } catch (error) {
    const e = error as FieldRefSyntaxError;
    return { message: `a field reference like name or [a][b] (${e.message.replace(/^invalid field reference .*? at column \d+: /, '')} at column ${e.column})`, column: e.column };
  }
}

function templateIssue(value: string): { message: string; column: number } | undefined {
  try {
    compileTemplate(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return { message: `a valid %{...} template (${error.message.replace(/^invalid template .*? at column \d+: /, '')})`, column: error.column };
  }
}

/** A field reference (`name`, `[a][b]`, `[@metadata][x]`). */
export const fieldRef = () =>
  z.string().superRefine((value, ctx) => {
    const issue = refIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, input: value, params: { column: issue.column } });
  });

/** A sprintf template (`%{[a][b]}`, `%{+yyyy.MM.dd}`). */
export const template = () =>
  z.string().superRefine((value, ctx) => {
    const issue = templateIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, input: value, params: { column: issue.column } });
  });

/** Logstash accepts a single value wherever a list is expected. */
export const listOf = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** A mapping whose keys are field references. */
export const refMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      const issue = refIssue(key);
      if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: [key], input: key, params: { column: issue.column } });
    }
  });

/** A mapping whose keys are sprintf templates naming fields (add_field). */
export const templateMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      const issue = templateIssue(key);
      if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: [key], input: key, params: { column: issue.column } });
    }
  });

/** Tags to add on failure: a string or a list, `[]` to add none. */
export const failureTags = (tag: string) => listOf(z.string()).default([tag]);

/** A scalar written in YAML (a string, a number or a boolean) taken as its text. */
export const scalarText = () => z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
