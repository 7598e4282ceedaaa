/**
 * Data streams: a name that append-only writes (`create`) go to, backed by hidden
 * indices `.ds-<name>-<yyyy.MM.dd>-<generation>`; the newest is the write index. A data
 * stream is created explicitly (`PUT _data_stream/<name>`) or by the first `create` into
 * a name that an index template with `data_stream: {}` matches.
 */
import { EsError, illegalArgument, indexNotFound, resourceAlreadyExists } from '../errors.ts';
import { matches } from '../mapping/dynamic.ts';
import type { Engine } from './engine.ts';
import { validateIndexName } from './indices.ts';
import type { DataStreamRecord } from './resolve.ts';
import { findIndexTemplate } from './templates.ts';

export function backingIndexName(stream: string, generation: number, now = Date.now()): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
  return `.ds-${stream}-${date}-${String(generation).padStart(6, '0')}`;
}

/** Creates a data stream and its first backing index (call from a queue task). */
export function createDataStreamNow(engine: Engine, name: string): DataStreamRecord {
  validateIndexName(name);
  if (engine.catalog.get('data_stream', name)) throw resourceAlreadyExists(name, '_na_');
  if (engine.indices.has(name)) throw illegalArgument(`data stream [${name}] conflicts with index [${name}]`);
  const template = findIndexTemplate(engine.catalog, name);
  if (!template || template[1].data_stream === undefined) {
    throw new EsError(400, 'illegal_argument_exception', `no matching index template found for data stream [${name}]`);
  }
  const backing = backingIndexName(name, 1);
  const record: DataStreamRecord = {
    name,
    timestamp_field: { name: '@timestamp' },
    indices: [],
    generation: 1,
    template: template[0],
    hidden: template[1].data_stream.hidden === true,
    system: false,
    status: 'GREEN',
  };
  engine.catalog.put('data_stream', name, record);
  try {
    const index = engine.createIndexNow(backing, { mappings: { _data_stream_timestamp: { enabled: true }, properties: { '@timestamp': { type: 'date' } } } }, name);
    record.indices.push({ index_name: index.name, index_uuid: index.uuid });
    engine.catalog.put('data_stream', name, record);
  } catch (error) {
    engine.catalog.delete('data_stream', name);
    throw error;
  }
  return record;
}

export function createDataStream(engine: Engine, name: string): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    createDataStreamNow(engine, name);
    return { acknowledged: true };
  });
}

export function getDataStreams(engine: Engine, expression: string | undefined): { data_streams: Record<string, unknown>[] } {
  const all = [...engine.catalog.list<DataStreamRecord>('data_stream').values()];
  const patterns = !expression || expression === '_all' || expression === '*' ? ['*'] : expression.split(',');
  const out = all.filter((s) => patterns.some((p) => matches(p, s.name)));
  for (const p of patterns) if (!p.includes('*') && !all.some((s) => s.name === p)) throw indexNotFound(p);
  return {
    data_streams: out.map((s) => ({
      name: s.name,
      timestamp_field: s.timestamp_field,
      indices: s.indices,
      generation: s.generation,
      status: 'GREEN',
      template: s.template,
      hidden: s.hidden,
      system: false,
      allow_custom_routing: false,
      replicated: false,
      rollover_on_write: false,
      ...(s._meta ? { _meta: s._meta } : {}),
    })),
  };
}

export function deleteDataStreams(engine: Engine, expression: string): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    const all = [...engine.catalog.list<DataStreamRecord>('data_stream').values()];
    const patterns = expression.split(',');
    const targets = all.filter((s) => patterns.some((p) => matches(p, s.name)));
    for (const p of patterns) if (!p.includes('*') && !all.some((s) => s.name === p)) throw indexNotFound(p);
    for (const stream of targets) {
      for (const ref of stream.indices) {
        const index = engine.indices.get(ref.index_name);
        if (index) engine.indices.delete(index);
      }
      engine.catalog.delete('data_stream', stream.name);
    }
    return { acknowledged: true };
  });
}

/** Starts a new backing index (the new write index). */
export function rolloverDataStream(engine: Engine, name: string): Promise<Record<string, unknown>> {
  return engine.queue.exclusive(() => {
    const stream = engine.catalog.get<DataStreamRecord>('data_stream', name);
    if (!stream) throw indexNotFound(name);
    const old = stream.indices[stream.indices.length - 1]!.index_name;
    stream.generation++;
    const index = engine.createIndexNow(backingIndexName(name, stream.generation), { mappings: { _data_stream_timestamp: { enabled: true }, properties: { '@timestamp': { type: 'date' } } } }, name);
    stream.indices.push({ index_name: index.name, index_uuid: index.uuid });
    engine.catalog.put('data_stream', name, stream);
    return { acknowledged: true, shards_acknowledged: true, old_index: old, new_index: index.name, rolled_over: true, dry_run: false, conditions: {} };
  });
}
