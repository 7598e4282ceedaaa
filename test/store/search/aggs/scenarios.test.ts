/**
 * The aggregation conformance scenarios (test/compat/store-conformance/15x_aggs_*.yml)
 * run here against the aggregation module behind a minimal stand-in for `_search`
 * (index creation, `_bulk`, and `_search` with a query matched by the fake source), so
 * the scenarios' expectations and this module agree in every `npm test`. The real
 * endpoint runs the same files in the compat suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EsError } from '../../../../src/store/errors.ts';
import { isShardLevel, runAggregations, validateAggregations } from '../../../../src/store/search/aggs/index.ts';
import { API_SPECS } from '../../../compat/store-conformance/api-specs.ts';
import { parseScenarioFile, ScenarioRunner } from '../../../compat/store-conformance/runner.ts';
import { type Doc, fakeSource } from './fake-source.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../compat/store-conformance');
const files = readdirSync(dir).filter((f) => /^15\d_aggs_.*\.yml$/.test(f)).sort();
const specs = API_SPECS as Record<string, { method: string; paths: string[] }>;
specs.search ??= { method: 'POST', paths: ['/_search', '/{index}/_search'] };

interface Stored {
  mapping: Record<string, string>;
  docs: { id: string; source: Doc }[];
}
let indices = new Map<string, Stored>();

function index(name: string): Stored {
  let stored = indices.get(name);
  if (!stored) indices.set(name, (stored = { mapping: {}, docs: [] }));
  return stored;
}

function flatten(properties: Record<string, { type?: string; properties?: Record<string, unknown> }>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(properties ?? {})) {
    if (def.properties) Object.assign(out, flatten(def.properties as never, `${prefix}${name}.`));
    else if (def.type) out[prefix + name] = def.type;
  }
  return out;
}

/** Dynamic mapping as Elasticsearch does it for the values the scenarios use. */
function mapDynamically(stored: Stored, source: Doc): void {
  for (const [field, value] of Object.entries(source)) {
    if (field in stored.mapping) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'number') stored.mapping[field] = Number.isInteger(first) ? 'long' : 'float';
    else if (typeof first === 'boolean') stored.mapping[field] = 'boolean';
    else if (typeof first === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(first)) stored.mapping[field] = 'date';
    else if (typeof first === 'string') {
      stored.mapping[field] = 'text';
      stored.mapping[`${field}.keyword`] = 'keyword';
    }
  }
}

function search(name: string, body: Record<string, unknown>): [number, unknown] {
  const stored = index(name);
  const source = fakeSource(
    stored.docs.map((d) => d.source),
    stored.mapping,
    { now: Date.now() },
  );
  const withIds = {
    ...source,
    indexName: name,
    hits: (positions: Int32Array, options: Record<string, unknown>) => {
      const result = source.hits(positions, options);
      const fields = Array.isArray(options._source) ? (options._source as string[]) : undefined;
      return {
        ...result,
        hits: (result.hits as { _id: string; _source: Doc }[]).map((h) => ({
          ...h,
          _index: name,
          _id: stored.docs[Number(h._id)]!.id,
          _source: fields ? Object.fromEntries(fields.map((f) => [f, h._source[f]])) : h._source,
        })),
      };
    },
  };
  const positions = body.query ? source.filter(body.query, source.all) : source.all;
  try {
    validateAggregations(body.aggs);
    const aggregations = runAggregations(body.aggs, withIds, positions);
    return [200, { hits: { total: { value: positions.length, relation: 'eq' }, hits: [] }, aggregations }];
  } catch (error) {
    if (!(error instanceof EsError)) throw error;
    if (!isShardLevel(error)) return [error.status, error.toBody()];
    const cause = { type: error.type, reason: error.reason, ...error.extra };
    return [error.status, { error: { root_cause: [cause], type: 'search_phase_execution_exception', reason: 'all shards failed', caused_by: cause }, status: error.status }];
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += chunk;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean);
  let status = 200;
  let body: unknown = {};
  if (req.method === 'PUT' && parts.length === 1) {
    const mappings = (JSON.parse(text || '{}') as { mappings?: { properties?: Record<string, never> } }).mappings;
    Object.assign(index(parts[0]!).mapping, flatten(mappings?.properties ?? {}));
    body = { acknowledged: true };
  } else if (parts.at(-1) === '_bulk') {
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, { _index: string; _id?: string }>);
    for (let i = 0; i < lines.length; i += 2) {
      const action = lines[i]!.index!;
      const stored = index(action._index);
      const source = lines[i + 1] as unknown as Doc;
      mapDynamically(stored, source);
      stored.docs.push({ id: action._id ?? String(stored.docs.length + 1), source });
    }
    body = { errors: false, items: [] };
  } else if (parts.at(-1) === '_search') [status, body] = search(parts[0]!, JSON.parse(text || '{}') as Record<string, unknown>);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: 'exception', reason: String(error) }, status: 500 }));
  });
});
let baseUrl = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

for (const file of files) {
  const scenario = parseScenarioFile(readFileSync(path.join(dir, file), 'utf8'));
  describe(file, () => {
    for (const { name, steps } of scenario.tests) {
      test(name, async () => {
        indices = new Map();
        const runner = new ScenarioRunner(baseUrl);
        await runner.run(scenario.setup);
        await runner.run(steps);
      });
    }
  });
}
