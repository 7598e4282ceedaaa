/**
 * `grok`: named captures out of text with the grok pattern library (grok/patterns),
 * as Logstash's grok filter does:
 * * `match: { field: pattern | [patterns…] }` — patterns are tried in order; with
 *   `break_on_match` (default) the first match ends the filter, otherwise every
 *   pattern of every field is applied;
 * * `%{PATTERN:field}`, `%{PATTERN:[nested][field]:int|float}`, inline `(?<name>…)`;
 * * `pattern_definitions` (inline patterns), `patterns_dir` + `patterns_files_glob`;
 * * `named_captures_only`, `keep_empty_captures`, `overwrite`, `target`;
 * * no match tags `_grokparsefailure` (`tag_on_failure`).
 * As in Logstash, capturing into a field that already holds a string (say `message`)
 * turns it into a list unless the field is listed in `overwrite`.
 *
 * Every pattern is compiled once, when the filter is created. JavaScript regexes cannot
 * be interrupted, so `timeout_millis` is accepted but has no effect: our pattern library
 * is written to avoid catastrophic backtracking, and user patterns should too.
 * `regex_engine: oniguruma-to-es` forces the full translator (see regex/oniguruma.ts).
 */
import { z } from 'zod';
import type { Event } from '../event.ts';
import { type FieldRef, fieldRefFromPath, parseFieldRef } from '../field-ref.ts';
import { type CompiledGrok, compileGrok, GrokPatternError } from '../grok/compile.ts';
import { builtinLibrary, loadPatternDirs, PATTERN_NAME } from '../grok/library.ts';
import { rubyToFloat, rubyToInt } from '../values.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef, listOf, OptionError, refMap } from './options.ts';

interface Matcher {
  field: string;
  ref: FieldRef;
  groks: CompiledGrok[];
}

export const grokFilter = defineFilter(
  'grok',
  {
    match: refMap(listOf(z.string())).refine((m) => Object.keys(m).length > 0, 'at least one field: pattern pair'),
    pattern_definitions: z
      .record(z.string().regex(PATTERN_NAME, 'a pattern name (letters, digits, _)'), z.string())
      .default({}),
    patterns_dir: listOf(z.string()).default([]),
    patterns_files_glob: z.string().default('*'),
    break_on_match: z.boolean().default(true),
    named_captures_only: z.boolean().default(true),
    keep_empty_captures: z.boolean().default(false),
    overwrite: listOf(z.string()).default([]),
    target: fieldRef().optional(),
    tag_on_failure: failureTags('_grokparsefailure'),
    /** Accepted for Logstash compatibility; see the file comment. */
    timeout_millis: z.number().optional(),
    tag_on_timeout: z.string().optional(),
    timeout_scope: z.enum(['pattern', 'event']).optional(),
    ecs_compatibility: z.literal('disabled', { error: '"disabled": only the classic field names (clientip, response, …) are implemented, not the ECS pattern set' }).optional(),
    regex_engine: z.enum(['auto', 'oniguruma-to-es']).default('auto'),
  },
  (options) => {
    let library = builtinLibrary();
    if (options.patterns_dir.length > 0) {
      try {
        library = library.extend(loadPatternDirs(options.patterns_dir, options.patterns_files_glob));
      } catch (error) {
        throw new OptionError(['patterns_dir'], `readable pattern files (${(error as Error).message})`);
      }
    }
    library = library.extend(options.pattern_definitions);

    const matchers: Matcher[] = Object.entries(options.match).map(([field, patterns]) => ({
      field,
      ref: parseFieldRef(field),
      groks: patterns.map((pattern, i) => {
        try {
          return compileGrok(pattern, library, { namedCapturesOnly: options.named_captures_only, engine: options.regex_engine });
        } catch (error) {
          if (!(error instanceof GrokPatternError)) throw error;
          const path = patterns.length > 1 ? ['match', field, i] : ['match', field];
          throw new OptionError(path, `a valid grok expression: ${error.reason}`, error.column);
        }
      }),
    }));

    const overwrite = new Set(options.overwrite);
    const target = options.target === undefined ? undefined : parseFieldRef(options.target);
    const keepEmpty = options.keep_empty_captures;
    const breakOnMatch = options.break_on_match;
    const tags = options.tag_on_failure;
    // Per capture: where it goes, whether it overwrites, how it converts — decided once.
    const plans = new Map<CompiledGrok, { index: number; ref: FieldRef; overwrite: boolean; convert: ((s: string) => unknown) | undefined }[]>();
    for (const m of matchers) {
      for (const grok of m.groks) {
        plans.set(
          grok,
          grok.captures.map((c) => ({
            index: c.index,
            ref: target === undefined ? c.ref : fieldRefFromPath([...target.path, ...c.ref.path], target.metadata),
            overwrite: overwrite.has(c.field),
            convert: c.type === 'int' ? rubyToInt : c.type === 'float' ? rubyToFloat : undefined,
          })),
        );
      }
    }

    const capture = (event: Event, grok: CompiledGrok, m: RegExpExecArray) => {
      for (const plan of plans.get(grok)!) {
        const text = m[plan.index];
        if (text === undefined || (text === '' && !keepEmpty)) continue;
        const value = plan.convert === undefined ? text : plan.convert(text);
        if (plan.overwrite) {
          event.set(plan.ref, value);
          continue;
        }
        const existing = event.get(plan.ref);
        if (existing === undefined || existing === null) event.set(plan.ref, value);
        else if (Array.isArray(existing)) existing.push(value);
        else if (typeof existing === 'string') event.set(plan.ref, [existing, value]);
        // Logstash keeps a non-string existing value (a number, an object) as it is.
      }
    };

    const matchText = (event: Event, groks: CompiledGrok[], text: string): boolean => {
      let matched = false;
      for (const grok of groks) {
        const m = grok.regex.exec(text);
        if (m === null) continue;
        capture(event, grok, m);
        matched = true;
        if (breakOnMatch) break;
      }
      return matched;
    };

    return (event) => {
      let matched = false;
      for (const matcher of matchers) {
        const value = event.get(matcher.ref);
        if (value === undefined || value === null) continue;
        let hit = false;
        if (Array.isArray(value)) {
          for (const item of [...value]) if (matchText(event, matcher.groks, typeof item === 'string' ? item : String(item))) hit = true;
        } else {
          hit = matchText(event, matcher.groks, typeof value === 'string' ? value : String(value));
        }
        if (hit) {
          matched = true;
          if (breakOnMatch) break;
        }
      }
      if (!matched) for (const tag of tags) event.tag(tag);
      return matched;
    };
  },
);
