/**
 * The handshake and cluster-level endpoints that clients and shippers call before (or
 * instead of) real work: `GET /`, `_license`, `_xpack`, `_cluster/health`, `_cat/*`,
 * `_nodes`, cluster settings, and the store's Prometheus metrics.
 */
import { EsError } from '../errors.ts';
import type { IndexStat } from '../engine/engine.ts';
import { formatCat, type CatColumn } from './cat-format.ts';
import type { Ctx, Router } from '../http/router.ts';
import { RESOLVE_PARAMS } from '../http/router.ts';
import { registry } from '../../telemetry/metrics.ts';

const BUILD_DATE = '2024-12-11T12:08:05.663969764Z';
const HEALTH_PARAMS = ['level', 'local', 'wait_for_status', 'wait_for_nodes', 'wait_for_events', 'wait_for_no_relocating_shards', 'wait_for_no_initializing_shards', 'wait_for_active_shards', ...RESOLVE_PARAMS];
const CAT_PARAMS = ['format', 'h', 'help', 'v', 's', 'bytes', 'time', 'local', 'pri', 'health', 'include_unloaded_segments', ...RESOLVE_PARAMS];

export function registerClusterRoutes(router: Router): void {
  router.add(['GET'], '/', [], (ctx) => ({ body: info(ctx) }));
  router.add('GET', '/_license', ['local', 'accept_enterprise'], (ctx) => ({ body: { license: license(ctx) } }));
  router.add('GET', '/_xpack', ['categories', 'accept_enterprise'], (ctx) => ({
    body: {
      build: { hash: 'loglane', date: BUILD_DATE },
      license: { uid: ctx.state.clusterUuid, type: 'basic', mode: 'basic', status: 'active' },
      features: Object.fromEntries(
        ['ilm', 'security', 'monitoring', 'watcher', 'ml', 'sql', 'data_streams', 'data_tiers', 'enrich', 'rollup', 'transform', 'searchable_snapshots'].map((f) => [
          f,
          { available: ['ilm', 'data_streams', 'data_tiers', 'security'].includes(f), enabled: ['ilm', 'data_streams', 'data_tiers'].includes(f) },
        ]),
      ),
      tagline: 'You know, for X',
    },
  }));
  router.add('GET', ['/_cluster/health', '/_cluster/health/:index'], HEALTH_PARAMS, health);
  router.add('GET', ['/_cat/indices', '/_cat/indices/:index'], CAT_PARAMS, catIndices);
  router.add('GET', '/_cat/health', CAT_PARAMS, catHealth);
  router.add('GET', ['/_cat/count', '/_cat/count/:index'], CAT_PARAMS, catCount);
  router.add('GET', ['/_cat/aliases', '/_cat/aliases/:name'], CAT_PARAMS, catAliases);
  router.add('GET', ['/_cat/nodes'], [...CAT_PARAMS, 'full_id'], (ctx) =>
    formatCat(ctx, [{ name: 'ip' }, { name: 'heap.percent' }, { name: 'ram.percent' }, { name: 'cpu' }, { name: 'node.role' }, { name: 'master' }, { name: 'name' }], [
      { ip: '127.0.0.1', 'heap.percent': '0', 'ram.percent': '0', cpu: '0', 'node.role': 'dhilmrstw', master: '*', name: ctx.state.nodeName },
    ]),
  );
  router.add('GET', ['/_nodes', '/_nodes/:a', '/_nodes/:a/:b'], ['flat_settings', 'include_segment_file_sizes', 'completion_fields', 'fielddata_fields', 'fields', 'groups', 'level', 'types'], nodes);
  router.add('GET', '/_cluster/settings', ['flat_settings', 'include_defaults', 'local'], () => ({ body: { persistent: {}, transient: {} } }));
  router.add('PUT', '/_cluster/settings', ['flat_settings'], (ctx) => {
    const body = ctx.jsonObject(true) ?? {};
    return { body: { acknowledged: true, persistent: body.persistent ?? {}, transient: body.transient ?? {} } };
  });
  router.add('GET', ['/_prometheus/metrics'], [], async () => ({ text: await registry.metrics(), contentType: registry.contentType }));
}

function info(ctx: Ctx) {
  return {
    name: ctx.state.nodeName,
    cluster_name: ctx.state.config.cluster_name,
    cluster_uuid: ctx.state.clusterUuid,
    version: {
      number: ctx.state.config.version,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: 'loglane',
      build_date: BUILD_DATE,
      build_snapshot: false,
      lucene_version: '9.12.0',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

function license(ctx: Ctx) {
  const issued = ctx.state.startedAt;
  return {
    status: 'active',
    uid: ctx.state.clusterUuid,
    type: 'basic',
    issue_date: new Date(issued).toISOString(),
    issue_date_in_millis: issued,
    max_nodes: 1000,
    max_resource_units: null,
    issued_to: ctx.state.config.cluster_name,
    issuer: 'elasticsearch',
    start_date_in_millis: -1,
  };
}

type Status = 'green' | 'yellow' | 'red';
const RANK: Record<Status, number> = { green: 0, yellow: 1, red: 2 };

function indexStatus(stat: IndexStat): Status {
  return stat.replicas > 0 ? 'yellow' : 'green';
}

async function health(ctx: Ctx) {
  const stats = await ctx.engine.call('indexStats');
  let selected = stats;
  let missing = false;
  if (ctx.params.index) {
    try {
      const names = new Set(await ctx.engine.call('resolveNames', ctx.params.index, ctx.resolveOptions({ allowNoIndices: false })));
      selected = stats.filter((s) => names.has(s.name));
    } catch (error) {
      if (!(error instanceof EsError) || error.status !== 404) throw error;
      missing = true;
      selected = [];
    }
  }
  const open = selected.filter((s) => s.state === 'open');
  let status: Status = missing ? 'red' : open.reduce<Status>((acc, s) => (RANK[indexStatus(s)] > RANK[acc] ? indexStatus(s) : acc), 'green');
  const primaries = open.reduce((n, s) => n + s.primaries, 0);
  const unassigned = open.reduce((n, s) => n + s.primaries * s.replicas, 0);
  const wanted = ctx.query.wait_for_status as Status | undefined;
  if (wanted !== undefined && !(wanted in RANK)) throw new EsError(400, 'illegal_argument_exception', `unknown cluster health status [${wanted}]`);
  const timedOut = missing || (wanted !== undefined && RANK[status] > RANK[wanted]);
  if (missing) status = 'red';
  const body: Record<string, unknown> = {
    cluster_name: ctx.state.config.cluster_name,
    status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: primaries,
    active_shards: primaries,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: primaries + unassigned === 0 ? 100 : (100 * primaries) / (primaries + unassigned),
  };
  if (ctx.query.level === 'indices' || ctx.query.level === 'shards') {
    body.indices = Object.fromEntries(
      open.map((s) => [
        s.name,
        {
          status: indexStatus(s),
          number_of_shards: s.primaries,
          number_of_replicas: s.replicas,
          active_primary_shards: s.primaries,
          active_shards: s.primaries,
          relocating_shards: 0,
          initializing_shards: 0,
          unassigned_shards: s.primaries * s.replicas,
          unassigned_primary_shards: 0,
        },
      ]),
    );
  }
  return { status: timedOut ? 408 : 200, body };
}

function humanBytes(bytes: number, unit: string | undefined): string {
  if (unit === 'b') return String(bytes);
  const units: [string, number][] = [
    ['tb', 2 ** 40],
    ['gb', 2 ** 30],
    ['mb', 2 ** 20],
    ['kb', 2 ** 10],
  ];
  if (unit) {
    const factor = units.find(([u]) => u === unit)?.[1] ?? 1;
    return String(Math.floor(bytes / factor));
  }
  for (const [u, factor] of units) if (bytes >= factor) return `${Number((bytes / factor).toFixed(1))}${u}`;
  return `${bytes}b`;
}

async function catIndices(ctx: Ctx) {
  const stats = await ctx.engine.call('indexStats');
  let selected = stats.filter((s) => !s.hidden);
  if (ctx.params.index) {
    const names = new Set(await ctx.engine.call('resolveNames', ctx.params.index, ctx.resolveOptions({ expandWildcards: 'all' })));
    selected = stats.filter((s) => names.has(s.name));
  } else if (ctx.query.expand_wildcards?.includes('hidden') || ctx.query.expand_wildcards?.includes('all')) selected = stats;
  if (ctx.query.health) selected = selected.filter((s) => indexStatus(s) === ctx.query.health);
  const columns: CatColumn[] = [
    { name: 'health' },
    { name: 'status' },
    { name: 'index' },
    { name: 'uuid' },
    { name: 'pri', numeric: true },
    { name: 'rep', numeric: true },
    { name: 'docs.count', numeric: true },
    { name: 'docs.deleted', numeric: true },
    { name: 'store.size', numeric: true, bytes: true },
    { name: 'pri.store.size', numeric: true, bytes: true },
    { name: 'dataset.size', numeric: true, bytes: true },
    { name: 'creation.date', numeric: true, hidden: true },
    { name: 'creation.date.string', hidden: true },
  ];
  const rows = selected.map((s) => ({
    health: indexStatus(s),
    status: s.state,
    index: s.name,
    uuid: s.uuid,
    pri: String(s.primaries),
    rep: String(s.replicas),
    'docs.count': String(s.docs),
    'docs.deleted': '0',
    'store.size': humanBytes(s.sizeBytes, ctx.query.bytes),
    'pri.store.size': humanBytes(s.sizeBytes, ctx.query.bytes),
    'dataset.size': humanBytes(s.sizeBytes, ctx.query.bytes),
    'creation.date': String(s.creationDate),
    'creation.date.string': new Date(s.creationDate).toISOString(),
    _bytes: s.sizeBytes,
  }));
  return formatCat(ctx, columns, rows);
}

async function catHealth(ctx: Ctx) {
  const result = await health({ ...ctx, params: {}, query: {} } as Ctx);
  const h = result.body as Record<string, number | string>;
  const now = Date.now();
  const columns: CatColumn[] = ['epoch', 'timestamp', 'cluster', 'status', 'node.total', 'node.data', 'shards', 'pri', 'relo', 'init', 'unassign', 'unassign.pri', 'pending_tasks', 'max_task_wait_time', 'active_shards_percent'].map((name) => ({
    name,
  }));
  return formatCat(ctx, columns, [
    {
      epoch: String(Math.floor(now / 1000)),
      timestamp: new Date(now).toISOString().slice(11, 19),
      cluster: String(h.cluster_name),
      status: String(h.status),
      'node.total': '1',
      'node.data': '1',
      shards: String(h.active_shards),
      pri: String(h.active_primary_shards),
      relo: '0',
      init: '0',
      unassign: String(h.unassigned_shards),
      'unassign.pri': '0',
      pending_tasks: '0',
      max_task_wait_time: '-',
      active_shards_percent: `${Number(h.active_shards_percent_as_number).toFixed(1)}%`,
    },
  ]);
}

async function catCount(ctx: Ctx) {
  const { count } = await ctx.engine.call('count', ctx.params.index, undefined, {});
  const now = Date.now();
  return formatCat(ctx, [{ name: 'epoch' }, { name: 'timestamp' }, { name: 'count', numeric: true }], [
    { epoch: String(Math.floor(now / 1000)), timestamp: new Date(now).toISOString().slice(11, 19), count: String(count) },
  ]);
}

async function catAliases(ctx: Ctx) {
  const { result } = await ctx.engine.call('getAliases', undefined, ctx.params.name);
  const rows: Record<string, string>[] = [];
  for (const [index, value] of Object.entries(result as Record<string, { aliases: Record<string, Record<string, unknown>> }>)) {
    for (const [alias, def] of Object.entries(value.aliases)) {
      rows.push({
        alias,
        index,
        filter: def.filter ? '*' : '-',
        'routing.index': String(def.index_routing ?? '-'),
        'routing.search': String(def.search_routing ?? '-'),
        is_write_index: def.is_write_index === undefined ? '-' : String(def.is_write_index),
      });
    }
  }
  return formatCat(ctx, ['alias', 'index', 'filter', 'routing.index', 'routing.search', 'is_write_index'].map((name) => ({ name })), rows);
}

function nodes(ctx: Ctx) {
  const { state } = ctx;
  const http = `${state.config.host}:${state.config.port}`;
  return {
    body: {
      _nodes: { total: 1, successful: 1, failed: 0 },
      cluster_name: state.config.cluster_name,
      nodes: {
        [state.nodeId]: {
          name: state.nodeName,
          transport_address: '127.0.0.1:9300',
          host: state.config.host,
          ip: state.config.host,
          version: state.config.version,
          build_flavor: 'default',
          build_type: 'tar',
          build_hash: 'loglane',
          roles: ['data', 'data_content', 'data_hot', 'ingest', 'master'],
          attributes: {},
          settings: { cluster: { name: state.config.cluster_name }, node: { name: state.nodeName } },
          http: { bound_address: [http], publish_address: http, max_content_length_in_bytes: state.config.max_body_bytes },
        },
      },
    },
  };
}
