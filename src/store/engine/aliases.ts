/**
 * Aliases: other names for one or more indices, kept in each index's metadata as
 * Elasticsearch does. `_aliases` applies a list of add/remove/remove_index actions.
 */
import { EsError, illegalArgument, indexNotFound } from '../errors.ts';
import { matches } from '../mapping/dynamic.ts';
import type { Engine } from './engine.ts';
import type { AliasDef, IndexDb } from './index-db.ts';
import { validateIndexName } from './indices.ts';

interface AliasAction {
  index?: string;
  indices?: string[];
  alias?: string;
  aliases?: string[];
  filter?: unknown;
  routing?: string;
  index_routing?: string;
  search_routing?: string;
  is_write_index?: boolean;
  is_hidden?: boolean;
  must_exist?: boolean;
}

const list = (one: string | undefined, many: string[] | undefined): string[] => [...(one !== undefined ? [one] : []), ...(many ?? [])];

export function updateAliases(engine: Engine, body: unknown): Promise<{ acknowledged: true; errors: false }> {
  return engine.queue.exclusive(() => {
    const actions = (body as { actions?: unknown })?.actions;
    if (!Array.isArray(actions)) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no actions specified;');
    // Plan every change first (validation), then write: all or nothing.
    const changes = new Map<IndexDb, Record<string, AliasDef>>();
    const aliasesOf = (index: IndexDb) => {
      let current = changes.get(index);
      if (!current) {
        current = structuredClone(index.meta.aliases);
        changes.set(index, current);
      }
      return current;
    };
    const toDelete: IndexDb[] = [];
    for (const entry of actions as Record<string, AliasAction>[]) {
      const [type, action] = Object.entries(entry)[0] ?? [];
      if (!type || !action) throw illegalArgument('alias action is empty');
      const indexNames = list(action.index, action.indices);
      if (indexNames.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: One of [index] or [indices] is required;');
      const targets = indexNames.flatMap((name) => engine.resolve(name, { allowNoIndices: false }));
      if (type === 'remove_index') {
        toDelete.push(...targets);
        continue;
      }
      const aliasNames = list(action.alias, action.aliases);
      if (aliasNames.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: One of [alias] or [aliases] is required;');
      for (const index of targets) {
        const current = aliasesOf(index);
        if (type === 'add') {
          for (const alias of aliasNames) {
            validateAliasName(engine, alias);
            current[alias] = aliasDef(action);
          }
        } else if (type === 'remove') {
          for (const pattern of aliasNames) {
            const hit = Object.keys(current).filter((a) => matches(pattern, a));
            if (hit.length === 0 && action.must_exist !== false) {
              throw new EsError(404, 'aliases_not_found_exception', `aliases [${pattern}] missing`, { 'resource.type': 'aliases', 'resource.id': pattern });
            }
            for (const alias of hit) delete current[alias];
          }
        } else throw illegalArgument(`Unknown alias action [${type}]`);
      }
    }
    for (const [index, aliases] of changes) {
      if (toDelete.includes(index)) continue;
      index.begin(false);
      index.updateMeta({ aliases });
      index.commit();
    }
    for (const index of toDelete) engine.indices.delete(index);
    return { acknowledged: true, errors: false };
  });
}

export function putAlias(engine: Engine, indexExpression: string, alias: string, body: unknown): Promise<{ acknowledged: true; errors: false }> {
  return updateAliases(engine, { actions: [{ add: { ...((body as object) ?? {}), index: indexExpression, alias } }] });
}

export function deleteAlias(engine: Engine, indexExpression: string, alias: string): Promise<{ acknowledged: true; errors: false }> {
  return updateAliases(engine, { actions: [{ remove: { index: indexExpression, aliases: alias.split(',') } }] });
}

function aliasDef(action: AliasAction): AliasDef {
  const def: AliasDef = {};
  if (action.filter !== undefined) def.filter = action.filter;
  const indexRouting = action.index_routing ?? action.routing;
  const searchRouting = action.search_routing ?? action.routing;
  if (indexRouting !== undefined) def.index_routing = indexRouting;
  if (searchRouting !== undefined) def.search_routing = searchRouting;
  if (action.is_write_index !== undefined) def.is_write_index = action.is_write_index;
  if (action.is_hidden !== undefined) def.is_hidden = action.is_hidden;
  return def;
}

function validateAliasName(engine: Engine, alias: string): void {
  try {
    validateIndexName(alias);
  } catch (error) {
    throw new EsError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}]: ${(error as EsError).reason.replace(/^Invalid index name \[[^\]]*\], /, '')}`);
  }
  if (engine.indices.has(alias)) throw new EsError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`);
}

/** GET _alias: `{index: {aliases: {...}}}` for matching indices and aliases; names that match nothing are reported. */
export function getAliases(engine: Engine, indexExpression: string | undefined, aliasExpression: string | undefined): { result: Record<string, unknown>; missing: string[] } {
  const indices = indexExpression ? engine.resolve(indexExpression, { allowNoIndices: true }) : engine.indices.all().filter((i) => !i.meta.dataStream);
  const patterns = aliasExpression && aliasExpression !== '_all' ? aliasExpression.split(',') : null;
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const index of indices) {
    const aliases: Record<string, AliasDef> = {};
    for (const [alias, def] of Object.entries(index.meta.aliases)) {
      if (patterns && !patterns.some((p) => matches(p, alias))) continue;
      aliases[alias] = def;
      seen.add(alias);
    }
    if (patterns && Object.keys(aliases).length === 0) continue;
    result[index.name] = { aliases };
  }
  const missing = (patterns ?? []).filter((p) => !p.includes('*') && !seen.has(p));
  return { result, missing };
}

export function requireIndexExpression(engine: Engine, expression: string): void {
  if (engine.resolve(expression).length === 0) throw indexNotFound(expression);
}
