/**
 * The filter contract. A filter is defined by a name, a zod schema of its own options
 * (merged with the common options every Logstash filter has) and a factory that turns the
 * validated options into a function of an event, called once per event.
 *
 * A filter's own logic returns:
 * * `true`  — it did its work: the common options apply (add_field, remove_field,
 *             add_tag, remove_tag, in that order, as in Logstash);
 * * `false` — it failed on this event's data: it has tagged the event
 *             (`_grokparsefailure`, …) and the common options do not apply;
 * * `null`  — the event is dropped;
 * * a list of events — they replace the event (each one gets the common options).
 *
 * Bad data never throws: an unexpected exception is caught and the event is tagged
 * `_<name>_error` (Logstash's mutate uses `_mutate_error`).
 */
import { z } from 'zod';
import type { Event } from '../event.ts';
import { lenientFieldRef } from '../field-ref.ts';
import { compileTemplate, type Template } from '../sprintf.ts';
import { listOf, template, templateMap } from './options.ts';

export type FilterOutput = Event | Event[] | null;
export type FilterLogic = (event: Event) => boolean | Event[] | null;

export interface Filter {
  readonly name: string;
  readonly id: string | undefined;
  apply(event: Event): FilterOutput;
}

/** Things a filter may need from its surroundings; tests replace them. */
export interface FilterContext {
  /** Current time in ms (date: the year of dates without one). */
  now(): number;
  /** A number in [0, 1) (drop: percentage). */
  random(): number;
}

export const defaultContext: FilterContext = { now: Date.now, random: Math.random };

export const commonOptions = {
  id: z.string().optional(),
  add_tag: listOf(template()).default([]),
  remove_tag: listOf(template()).default([]),
  add_field: templateMap(z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))])).default({}),
  remove_field: listOf(template()).default([]),
  /** Accepted for Logstash compatibility; metrics are always on. */
  enable_metric: z.boolean().optional(),
  /** Accepted for Logstash compatibility; no filter here flushes periodically. */
  periodic_flush: z.boolean().optional(),
};

type CommonShape = typeof commonOptions;
export type CommonOptions = z.output<z.ZodObject<CommonShape>>;

export interface FilterDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  /** Every option name the filter accepts (its own and the common ones). */
  readonly optionNames: readonly string[];
  /** The filter's options and the common ones (strict: unknown keys are errors). */
  readonly schema: z.ZodType<z.output<z.ZodObject<Shape & CommonShape>>>;
  /** Builds the per-event logic; throws OptionError for problems the schema cannot see. */
  create(options: z.output<z.ZodObject<Shape & CommonShape>>, context: FilterContext): FilterLogic;
}

export function defineFilter<Shape extends z.ZodRawShape>(
  name: string,
  shape: Shape,
  create: (options: z.output<z.ZodObject<Shape & CommonShape>>, context: FilterContext) => FilterLogic,
): FilterDefinition<Shape> {
  const schema = z.strictObject({ ...shape, ...commonOptions }) as unknown as z.ZodType<z.output<z.ZodObject<Shape & CommonShape>>>;
  return { name, optionNames: Object.keys({ ...shape, ...commonOptions }), schema, create };
}

/** Wraps validated options and logic into a Filter with the common options. */
export function buildFilter(name: string, options: CommonOptions, logic: FilterLogic): Filter {
  const common = compileCommon(options);
  const errorTag = `_${name}_error`;
  return {
    name,
    id: options.id,
    apply(event) {
      let result: boolean | Event[] | null;
      try {
        result = logic(event);
      } catch {
        event.tag(errorTag);
        return event;
      }
      if (result === true) {
        if (common !== null) common(event);
        return event;
      }
      if (result === false || result === null) return result === null ? null : event;
      if (common !== null) for (const e of result) common(e);
      return result;
    },
  };
}

function compileCommon(options: CommonOptions): ((event: Event) => void) | null {
  // Strings are templates; numbers and booleans keep their type.
  const addFields: [Template, ((event: Event) => unknown)[]][] = Object.entries(options.add_field).map(([key, value]) => [
    compileTemplate(key),
    (Array.isArray(value) ? value : [value]).map((v) => {
      if (typeof v !== 'string') return () => v;
      const t = compileTemplate(v);
      return (event: Event) => t.render(event);
    }),
  ]);
  const removeFields = options.remove_field.map(compileTemplate);
  const addTags = options.add_tag.map(compileTemplate);
  const removeTags = options.remove_tag.map(compileTemplate);
  if (addFields.length + removeFields.length + addTags.length + removeTags.length === 0) return null;
  return (event) => {
    for (const [key, values] of addFields) {
      const ref = lenientFieldRef(key.render(event));
      for (const value of values) addFieldValue(event, ref, value(event));
    }
    for (const field of removeFields) event.remove(lenientFieldRef(field.render(event)));
    for (const tag of addTags) event.tag(tag.render(event));
    for (const tag of removeTags) event.untag(tag.render(event));
  };
}

/** Logstash's add_field: an existing field becomes a list with the new value appended. */
export function addFieldValue(event: Event, ref: ReturnType<typeof lenientFieldRef>, value: unknown): void {
  const existing = event.get(ref);
  if (existing === undefined) event.set(ref, value);
  else if (Array.isArray(existing)) existing.push(value);
  else event.set(ref, [existing, value]);
}
