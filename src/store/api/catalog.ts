/**
 * Templates (composable, component, legacy), ingest pipelines and ILM policies (stored
 * and returned, not executed), data streams and their rollover.
 */
import type { TemplateKind } from '../engine/catalog-api.ts';
import { illegalArgument } from '../errors.ts';
import { type Ctx, type Router, requireParam } from '../http/router.ts';

const TEMPLATE_PARAMS = ['create', 'cause', 'order', 'include_type_name', 'flat_settings', 'local', 'include_defaults'];

export function registerCatalogRoutes(router: Router): void {
  templateRoutes(router, '/_index_template', 'index_template', 'index_templates');
  templateRoutes(router, '/_component_template', 'component_template', 'component_templates');
  templateRoutes(router, '/_template', 'legacy_template', null);

  router.add('PUT', '/_ingest/pipeline/:id', ['if_version'], async (ctx) => ({ body: await ctx.engine.call('putStored', 'pipeline', requireParam(ctx, 'id'), ctx.jsonObject(true)) }));
  router.add('GET', ['/_ingest/pipeline', '/_ingest/pipeline/:id'], ['summary'], async (ctx) => ({ body: await ctx.engine.call('getStored', 'pipeline', ctx.params.id) }));
  router.add('DELETE', '/_ingest/pipeline/:id', [], async (ctx) => ({ body: await ctx.engine.call('deleteStored', 'pipeline', requireParam(ctx, 'id')) }));
  router.add(['GET', 'POST'], ['/_ingest/pipeline/_simulate', '/_ingest/pipeline/:id/_simulate'], ['verbose'], (ctx) => {
    const docs = (ctx.jsonObject(true)?.docs as { _source?: unknown; _index?: string; _id?: string }[] | undefined) ?? [];
    return {
      body: { docs: docs.map((d) => ({ doc: { _index: d._index ?? '_index', _id: d._id ?? '_id', _version: '-3', _source: d._source ?? {}, _ingest: { timestamp: new Date().toISOString() } } })) },
      headers: { Warning: '299 Elasticsearch-loglane "ingest pipelines are stored but not executed by the loglane store"' },
    };
  });

  router.add('PUT', '/_ilm/policy/:name', [], async (ctx) => ({ body: await ctx.engine.call('putStored', 'ilm_policy', requireParam(ctx, 'name'), ctx.jsonObject(true)) }));
  router.add('GET', ['/_ilm/policy', '/_ilm/policy/:name'], [], async (ctx) => ({ body: await ctx.engine.call('getStored', 'ilm_policy', ctx.params.name) }));
  router.add('DELETE', '/_ilm/policy/:name', [], async (ctx) => ({ body: await ctx.engine.call('deleteStored', 'ilm_policy', requireParam(ctx, 'name')) }));
  router.add('GET', '/_ilm/status', [], () => ({ body: { operation_mode: 'RUNNING' } }));
  router.add('GET', '/:index/_ilm/explain', ['only_errors', 'only_managed'], async (ctx) => {
    const names = await ctx.engine.call('resolveNames', requireParam(ctx, 'index'), { allowNoIndices: false });
    return { body: { indices: Object.fromEntries(names.map((n) => [n, { index: n, managed: false }])) } };
  });

  router.add('PUT', '/_data_stream/:name', [], async (ctx) => ({ body: await ctx.engine.call('createDataStream', requireParam(ctx, 'name')) }));
  router.add('GET', ['/_data_stream', '/_data_stream/:name'], ['expand_wildcards', 'include_defaults', 'verbose'], async (ctx) => ({
    body: await ctx.engine.call('getDataStreams', ctx.params.name),
  }));
  router.add('DELETE', '/_data_stream/:name', ['expand_wildcards'], async (ctx) => ({ body: await ctx.engine.call('deleteDataStreams', requireParam(ctx, 'name')) }));
  router.add('POST', ['/:alias/_rollover', '/:alias/_rollover/:newIndex'], ['dry_run', 'wait_for_active_shards', 'lazy'], async (ctx) => {
    const streams = await ctx.engine.call('getDataStreams', '*');
    const alias = requireParam(ctx, 'alias');
    if (!streams.data_streams.some((s) => s.name === alias)) throw illegalArgument(`rollover target [${alias}] is not a data stream; this store rolls over data streams only`);
    return { body: await ctx.engine.call('rolloverDataStream', alias) };
  });
}

function templateRoutes(router: Router, base: string, kind: TemplateKind, listKey: string | null): void {
  router.add(['PUT', 'POST'], `${base}/:name`, TEMPLATE_PARAMS, async (ctx: Ctx) => ({
    body: await ctx.engine.call('putTemplate', kind, requireParam(ctx, 'name'), ctx.jsonObject(true), ctx.flag('create')),
  }));
  router.add('GET', [base, `${base}/:name`], TEMPLATE_PARAMS, async (ctx: Ctx) => {
    const found = await ctx.engine.call('getTemplates', kind, ctx.params.name);
    if (kind === 'legacy_template' && ctx.params.name && Object.keys(found).length === 0) return { status: 404, body: {} };
    return { body: listKey ? { [listKey]: found } : found };
  });
  router.add('DELETE', `${base}/:name`, [], async (ctx: Ctx) => ({ body: await ctx.engine.call('deleteTemplates', kind, requireParam(ctx, 'name')) }));
}
