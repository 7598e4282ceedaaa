/**
 * Filters by name, as they are written in the pipeline config (`- grok: {...}`).
 */
import { addFieldsFilter } from './add-fields.ts';
import { addTagsFilter } from './add-tags.ts';
import { dateFilter } from './date.ts';
import { dissectFilter } from './dissect.ts';
import { dropFilter } from './drop.ts';
import type { FilterDefinition } from './filter.ts';
import { fingerprintFilter } from './fingerprint.ts';
import { geoipFilter } from './geoip.ts';
import { grokFilter } from './grok.ts';
import { jsonFilter } from './json.ts';
import { kvFilter } from './kv.ts';
import { mutateFilter } from './mutate.ts';
import { useragentFilter } from './useragent.ts';

const definitions: readonly FilterDefinition[] = [
  addFieldsFilter,
  addTagsFilter,
  dateFilter,
  dissectFilter,
  dropFilter,
  fingerprintFilter,
  geoipFilter,
  grokFilter,
  jsonFilter,
  kvFilter,
  mutateFilter,
  useragentFilter,
] as unknown as readonly FilterDefinition[];

const byName = new Map(definitions.map((d) => [d.name, d]));

export const FILTER_NAMES: readonly string[] = [...byName.keys()].sort();

export function filterDefinition(name: string): FilterDefinition | undefined {
  return byName.get(name);
}
