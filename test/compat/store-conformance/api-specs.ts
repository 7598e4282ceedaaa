/**
 * The Elasticsearch APIs the scenario files call, by the names of Elasticsearch's REST
 * spec (`indices.create`, `bulk`, ...): HTTP method and path templates. Arguments that
 * are not path parts become query parameters; `body` is the body.
 */
export interface ApiSpec {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  paths: string[];
  ndjson?: boolean;
}

export const API_SPECS: Record<string, ApiSpec> = {
  info: { method: 'GET', paths: ['/'] },
  ping: { method: 'HEAD', paths: ['/'] },
  'license.get': { method: 'GET', paths: ['/_license'] },
  'xpack.info': { method: 'GET', paths: ['/_xpack'] },
  'cluster.health': { method: 'GET', paths: ['/_cluster/health', '/_cluster/health/{index}'] },
  'cluster.get_settings': { method: 'GET', paths: ['/_cluster/settings'] },
  'nodes.info': { method: 'GET', paths: ['/_nodes', '/_nodes/{node_id}', '/_nodes/{node_id}/{metric}'] },
  'cat.indices': { method: 'GET', paths: ['/_cat/indices', '/_cat/indices/{index}'] },
  'cat.health': { method: 'GET', paths: ['/_cat/health'] },
  'cat.count': { method: 'GET', paths: ['/_cat/count', '/_cat/count/{index}'] },
  'cat.aliases': { method: 'GET', paths: ['/_cat/aliases', '/_cat/aliases/{name}'] },

  'indices.create': { method: 'PUT', paths: ['/{index}'] },
  'indices.delete': { method: 'DELETE', paths: ['/{index}'] },
  'indices.exists': { method: 'HEAD', paths: ['/{index}'] },
  'indices.get': { method: 'GET', paths: ['/{index}'] },
  'indices.get_mapping': { method: 'GET', paths: ['/_mapping', '/{index}/_mapping'] },
  'indices.put_mapping': { method: 'PUT', paths: ['/{index}/_mapping'] },
  'indices.get_settings': { method: 'GET', paths: ['/_settings', '/{index}/_settings', '/{index}/_settings/{name}', '/_settings/{name}'] },
  'indices.put_settings': { method: 'PUT', paths: ['/_settings', '/{index}/_settings'] },
  'indices.refresh': { method: 'POST', paths: ['/_refresh', '/{index}/_refresh'] },
  'indices.flush': { method: 'POST', paths: ['/_flush', '/{index}/_flush'] },
  'indices.forcemerge': { method: 'POST', paths: ['/_forcemerge', '/{index}/_forcemerge'] },
  'indices.open': { method: 'POST', paths: ['/{index}/_open'] },
  'indices.close': { method: 'POST', paths: ['/{index}/_close'] },
  'indices.update_aliases': { method: 'POST', paths: ['/_aliases'] },
  'indices.put_alias': { method: 'PUT', paths: ['/{index}/_alias/{name}'] },
  'indices.delete_alias': { method: 'DELETE', paths: ['/{index}/_alias/{name}'] },
  'indices.get_alias': { method: 'GET', paths: ['/_alias', '/_alias/{name}', '/{index}/_alias/{name}', '/{index}/_alias'] },
  'indices.exists_alias': { method: 'HEAD', paths: ['/_alias/{name}', '/{index}/_alias/{name}'] },
  'indices.put_index_template': { method: 'PUT', paths: ['/_index_template/{name}'] },
  'indices.get_index_template': { method: 'GET', paths: ['/_index_template', '/_index_template/{name}'] },
  'indices.exists_index_template': { method: 'HEAD', paths: ['/_index_template/{name}'] },
  'indices.delete_index_template': { method: 'DELETE', paths: ['/_index_template/{name}'] },
  'cluster.put_component_template': { method: 'PUT', paths: ['/_component_template/{name}'] },
  'cluster.get_component_template': { method: 'GET', paths: ['/_component_template', '/_component_template/{name}'] },
  'cluster.delete_component_template': { method: 'DELETE', paths: ['/_component_template/{name}'] },
  'indices.put_template': { method: 'PUT', paths: ['/_template/{name}'] },
  'indices.get_template': { method: 'GET', paths: ['/_template', '/_template/{name}'] },
  'indices.exists_template': { method: 'HEAD', paths: ['/_template/{name}'] },
  'indices.delete_template': { method: 'DELETE', paths: ['/_template/{name}'] },
  'indices.create_data_stream': { method: 'PUT', paths: ['/_data_stream/{name}'] },
  'indices.get_data_stream': { method: 'GET', paths: ['/_data_stream', '/_data_stream/{name}'] },
  'indices.delete_data_stream': { method: 'DELETE', paths: ['/_data_stream/{name}'] },
  'indices.rollover': { method: 'POST', paths: ['/{alias}/_rollover'] },
  'ingest.put_pipeline': { method: 'PUT', paths: ['/_ingest/pipeline/{id}'] },
  'ingest.get_pipeline': { method: 'GET', paths: ['/_ingest/pipeline', '/_ingest/pipeline/{id}'] },
  'ingest.delete_pipeline': { method: 'DELETE', paths: ['/_ingest/pipeline/{id}'] },
  'ilm.put_lifecycle': { method: 'PUT', paths: ['/_ilm/policy/{policy}'] },
  'ilm.get_lifecycle': { method: 'GET', paths: ['/_ilm/policy', '/_ilm/policy/{policy}'] },
  'ilm.delete_lifecycle': { method: 'DELETE', paths: ['/_ilm/policy/{policy}'] },

  bulk: { method: 'POST', paths: ['/_bulk', '/{index}/_bulk'], ndjson: true },
  index: { method: 'POST', paths: ['/{index}/_doc/{id}', '/{index}/_doc'] },
  create: { method: 'PUT', paths: ['/{index}/_create/{id}'] },
  get: { method: 'GET', paths: ['/{index}/_doc/{id}'] },
  exists: { method: 'HEAD', paths: ['/{index}/_doc/{id}'] },
  get_source: { method: 'GET', paths: ['/{index}/_source/{id}'] },
  delete: { method: 'DELETE', paths: ['/{index}/_doc/{id}'] },
  update: { method: 'POST', paths: ['/{index}/_update/{id}'] },
  mget: { method: 'POST', paths: ['/_mget', '/{index}/_mget'] },
  count: { method: 'POST', paths: ['/_count', '/{index}/_count'] },
  delete_by_query: { method: 'POST', paths: ['/{index}/_delete_by_query'] },
  update_by_query: { method: 'POST', paths: ['/{index}/_update_by_query'] },
};
