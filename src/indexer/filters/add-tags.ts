/**
 * `add_tags` (Filebeat's processor): adds tags — `%{...}` templates — to `tags` (or to
 * the list field `target`). Every filter can also do this with the common `add_tag`.
 */
import { z } from 'zod';
import { parseFieldRef } from '../field-ref.ts';
import { compileTemplate } from '../sprintf.ts';
import { defineFilter } from './filter.ts';
import { fieldRef, listOf, template } from './options.ts';

export const addTagsFilter = defineFilter(
  'add_tags',
  {
    tags: listOf(template()).pipe(z.array(z.string()).min(1)),
    target: fieldRef().optional(),
  },
  (options) => {
    const tags = options.tags.map(compileTemplate);
    if (options.target === undefined) {
      return (event) => {
        for (const tag of tags) event.tag(tag.render(event));
        return true;
      };
    }
    const target = parseFieldRef(options.target);
    return (event) => {
      const current = event.get(target);
      const list = Array.isArray(current) ? current : current === undefined || current === null ? [] : [current];
      for (const tag of tags) {
        const value = tag.render(event);
        if (!list.includes(value)) list.push(value);
      }
      event.set(target, list);
      return true;
    };
  },
);
