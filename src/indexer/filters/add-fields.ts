/**
 * `add_fields` (Filebeat's processor): sets fields — string values are `%{...}`
 * templates, other values are copied — at the event root or under `target`. Unlike the
 * common `add_field` option, an existing field is replaced, not turned into a list.
 */
import { z } from 'zod';
import type { Event } from '../event.ts';
import { childRef, type FieldRef, parseFieldRef } from '../field-ref.ts';
import { compileTemplate } from '../sprintf.ts';
import { defineFilter } from './filter.ts';
import { fieldRef, refMap, template } from './options.ts';

const fieldValue = z.unknown().superRefine((value, ctx) => {
  if (typeof value !== 'string') return;
  const checked = template().safeParse(value);
  if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, input: value });
});

export const addFieldsFilter = defineFilter(
  'add_fields',
  {
    fields: refMap(fieldValue).refine((map) => Object.keys(map).length > 0, 'at least one field'),
    target: fieldRef().optional(),
  },
  (options) => {
    const target = options.target === undefined ? undefined : parseFieldRef(options.target);
    const setters: ((event: Event) => void)[] = Object.entries(options.fields).map(([key, value]) => {
      let ref: FieldRef = parseFieldRef(key);
      if (target !== undefined) ref = childRef(target, ref);
      if (typeof value === 'string') {
        const t = compileTemplate(value);
        return (event) => event.set(ref, t.render(event));
      }
      return (event) => event.set(ref, structuredClone(value));
    });
    return (event) => {
      for (const set of setters) set(event);
      return true;
    };
  },
);
