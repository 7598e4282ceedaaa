/** Index administration endpoints: create/delete/get/exists, mappings, settings, refresh/flush, open/close, aliases. */
import type { CreateIndexBody } from '../engine/engine.ts';
import { EsError } from '../errors.ts';
import { type Ctx, RESOLVE_PARAMS, type Router, requireParam } from '../http/router.ts';

const CREATE_PARAMS = ['wait_for_active_shards', 'include_type_name'];
const GET_PARAMS = [...RESOLVE_PARAMS, 'local', 'include_defaults', 'flat_settings', 'features', 'include_type_name'];
const MAPPING_PARAMS = [...RESOLVE_PARAMS, 'local', 'include_type_name', 'write_index_only'];
const SETTINGS_PARAMS = [...RESOLVE_PARAMS, 'local', 'include_defaults', 'flat_settings', 'preserve_existing', 'reopen'];

export function registerIndexRoutes(router: Router): void {
  router.add('PUT', '/:index', CREATE_PARAMS, createIndex);
  router.add('DELETE', '/:index', RESOLVE_PARAMS, async (ctx) => ({ body: await ctx.engine.call('deleteIndex', requireParam(ctx, 'index'), ctx.resolveOptions()) }));
  router.add('GET', '/:index', GET_PARAMS, getIndex);

  router.add('GET', ['/_mapping', '/:index/_mapping'], MAPPING_PARAMS, async (ctx) => ({
    body: await ctx.engine.call('getMapping', ctx.params.index, ctx.resolveOptions({ allowNoIndices: true, ...(ctx.params.index && !isPattern(ctx.params.index) ? { allowNoIndices: false } : {}) })),
  }));
  router.add(['PUT', 'POST'], ['/:index/_mapping', '/:index/_mappings'], MAPPING_PARAMS, async (ctx) => ({
    body: await ctx.engine.call('putMapping', requireParam(ctx, 'index'), ctx.jsonObject(true), ctx.resolveOptions()),
  }));

  router.add('GET', ['/_settings', '/:index/_settings', '/:index/_settings/:name', '/_settings/:name'], SETTINGS_PARAMS, getSettings);
  router.add('PUT', ['/_settings', '/:index/_settings'], SETTINGS_PARAMS, async (ctx) => ({
    body: await ctx.engine.call('putSettings', ctx.params.index, ctx.jsonObject(true), ctx.resolveOptions()),
  }));

  router.add(['POST', 'GET'], ['/_refresh', '/:index/_refresh'], RESOLVE_PARAMS, async (ctx) => ({
    body: await ctx.engine.call('refresh', ctx.params.index, ctx.resolveOptions()),
  }));
  router.add(['POST', 'GET'], ['/_flush', '/:index/_flush'], [...RESOLVE_PARAMS, 'force', 'wait_if_ongoing'], async (ctx) => ({
    body: await ctx.engine.call('flush', ctx.params.index, ctx.resolveOptions()),
  }));
  router.add('POST', ['/_forcemerge', '/:index/_forcemerge'], [...RESOLVE_PARAMS, 'max_num_segments', 'only_expunge_deletes', 'flush', 'wait_for_completion'], async (ctx) => ({
    body: await ctx.engine.call('forceMerge', ctx.params.index, ctx.resolveOptions()),
  }));
  router.add('POST', '/:index/_open', [...RESOLVE_PARAMS, 'wait_for_active_shards'], async (ctx) => ({
    body: await ctx.engine.call('openClose', requireParam(ctx, 'index'), 'open', ctx.resolveOptions()),
  }));
  router.add('POST', '/:index/_close', [...RESOLVE_PARAMS, 'wait_for_active_shards'], async (ctx) => ({
    body: await ctx.engine.call('openClose', requireParam(ctx, 'index'), 'close', ctx.resolveOptions()),
  }));

  router.add('POST', '/_aliases', [], async (ctx) => ({ body: await ctx.engine.call('updateAliases', ctx.jsonObject(true)) }));
  router.add(['PUT', 'POST'], ['/:index/_alias/:name', '/:index/_aliases/:name'], [], async (ctx) => ({
    body: await ctx.engine.call('putAlias', requireParam(ctx, 'index'), requireParam(ctx, 'name'), ctx.jsonObject(false) ?? {}),
  }));
  router.add('DELETE', ['/:index/_alias/:name', '/:index/_aliases/:name'], [], async (ctx) => ({
    body: await ctx.engine.call('deleteAlias', requireParam(ctx, 'index'), requireParam(ctx, 'name')),
  }));
  router.add('GET', ['/_alias', '/_alias/:name', '/:index/_alias', '/:index/_alias/:name', '/_aliases', '/:index/_aliases'], [...RESOLVE_PARAMS, 'local'], getAliases);
}

function isPattern(expression: string): boolean {
  return expression.includes('*') || expression.includes(',') || expression === '_all';
}

async function createIndex(ctx: Ctx) {
  const index = requireParam(ctx, 'index');
  const body = (ctx.jsonObject(false) ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!['settings', 'mappings', 'aliases'].includes(key)) {
      // Elasticsearch treats unknown top-level keys as settings when they look like them.
      throw new EsError(400, 'parse_exception', `unknown key [${key}] for create index`);
    }
  }
  return { body: await ctx.engine.call('createIndex', index, body as CreateIndexBody) };
}

async function getIndex(ctx: Ctx) {
  const index = requireParam(ctx, 'index');
  return { body: await ctx.engine.call('getIndex', index, ctx.resolveOptions()) };
}

async function getSettings(ctx: Ctx) {
  const all = (await ctx.engine.call('getSettings', ctx.params.index, ctx.resolveOptions())) as Record<string, { settings: { index: Record<string, unknown> } }>;
  const name = ctx.params.name;
  if (!name) return { body: all };
  // /_settings/{name}: only the settings whose flat name matches.
  const patterns = name.split(',').map((p) => new RegExp(`^${p.replaceAll('.', '\\.').replaceAll('*', '.*')}$`));
  const out: Record<string, unknown> = {};
  for (const [index, value] of Object.entries(all)) {
    const flat: Record<string, unknown> = {};
    flatten(value.settings, '', flat);
    const kept = Object.fromEntries(Object.entries(flat).filter(([k]) => patterns.some((p) => p.test(k))));
    if (Object.keys(kept).length) out[index] = { settings: ctx.flag('flat_settings') ? kept : nest(kept) };
  }
  return { body: out };
}

function flatten(node: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
}

function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

async function getAliases(ctx: Ctx) {
  const { result, missing } = await ctx.engine.call('getAliases', ctx.params.index, ctx.params.name);
  if (missing.length === 0) return { body: result };
  const error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
  return { status: 404, body: { error, status: 404, ...result } };
}
