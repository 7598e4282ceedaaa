/**
 * Parsing a `_bulk` body (NDJSON): action lines are parsed and checked here, document
 * lines are only located (their byte range is handed to the engine, which parses each one
 * and fails that item alone if it is not JSON). Problems with the request's structure
 * (a malformed action line, a missing document line, no index) fail the whole request
 * with a 400 naming the line, as Elasticsearch does.
 */
import type { WriteItem, WriteOp } from '../engine/documents.ts';
import { actionRequestValidation, EsError, illegalArgument } from '../errors.ts';

const OPS = new Set<WriteOp>(['index', 'create', 'update', 'delete']);
const META_KEYS = new Set([
  '_index',
  '_id',
  'routing',
  '_routing',
  'if_seq_no',
  'if_primary_term',
  'version',
  '_version',
  'version_type',
  '_version_type',
  'pipeline',
  'require_alias',
  'require_data_stream',
  'retry_on_conflict',
  '_retry_on_conflict',
  '_source',
  'dynamic_templates',
  'op_type',
  '_type',
  'list_executed_pipelines',
]);

export interface BulkDefaults {
  index?: string;
  routing?: string;
  pipeline?: string;
  requireAlias?: boolean;
}

export interface ParsedBulk {
  items: WriteItem[];
  /** Bytes of each item (action and document lines), for backpressure accounting. */
  sizes: number[];
  pipelines: boolean;
}

export function parseBulk(body: Buffer, defaults: BulkDefaults): ParsedBulk {
  const items: WriteItem[] = [];
  const sizes: number[] = [];
  let pipelines = defaults.pipeline !== undefined;
  const problems: string[] = [];
  let pos = 0;
  let line = 0;
  const length = body.length;
  if (length > 0 && body[length - 1] !== 0x0a && !/^\s*$/.test(body.toString('utf8', Math.max(0, length - 1)))) {
    throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
  }
  const nextLine = (): [number, number] | null => {
    while (pos < length) {
      const end = body.indexOf(0x0a, pos);
      const stop = end < 0 ? length : end;
      const start = pos;
      pos = stop + 1;
      line++;
      if (!isBlank(body, start, stop)) return [start, stop];
    }
    return null;
  };
  // Bulks of auto-id documents repeat one action line: parse each distinct line once.
  const seen = new Map<string, WriteItem>();
  for (let action = nextLine(); action; action = nextLine()) {
    const [start, end] = action;
    const actionLine = line;
    const text = body.toString('utf8', start, end);
    const known = seen.get(text);
    if (known) {
      const item = { ...known };
      let size = end - start + 1;
      if (item.op !== 'delete') {
        const doc = nextLine();
        if (!doc) throw illegalArgument(`The bulk request's action on line [${actionLine}] (${item.op}) has no document line after it`);
        item.start = doc[0];
        item.end = doc[1];
        size += doc[1] - doc[0] + 1;
      }
      items.push(item);
      sizes.push(size);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected START_OBJECT or END_OBJECT but found [${(error as Error).message}]`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected START_OBJECT but found [${Array.isArray(parsed) ? 'START_ARRAY' : 'VALUE'}]`);
    }
    const keys = Object.keys(parsed);
    if (keys.length !== 1) throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected a simple value for field [${keys[1] ?? ''}] but found [${keys.length === 0 ? 'END_OBJECT' : 'FIELD_NAME'}]`);
    const op = keys[0] as WriteOp;
    if (!OPS.has(op)) throw illegalArgument(`Action/metadata line [${actionLine}] contains an unknown parameter [${op}]`);
    const meta = (parsed as Record<string, unknown>)[op];
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected START_OBJECT but found [VALUE]`);
    const item: WriteItem = { op };
    for (const [key, value] of Object.entries(meta)) {
      if (!META_KEYS.has(key)) throw illegalArgument(`Action/metadata line [${actionLine}] contains an unknown parameter [${key}]`);
      if (typeof value === 'object' && value !== null && key !== '_source' && key !== 'dynamic_templates') {
        throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected a simple value for field [${key}] but found [START_OBJECT]`);
      }
      switch (key) {
        case '_index':
          item.index = String(value);
          break;
        case '_id':
          if (value !== null) item.id = String(value);
          break;
        case 'routing':
        case '_routing':
          item.routing = String(value);
          break;
        case 'if_seq_no':
          item.ifSeqNo = Number(value);
          break;
        case 'if_primary_term':
          item.ifPrimaryTerm = Number(value);
          break;
        case 'version':
        case '_version':
          item.version = Number(value);
          break;
        case 'version_type':
        case '_version_type':
          item.versionType = String(value) as WriteItem['versionType'];
          break;
        case 'pipeline':
          item.pipeline = String(value);
          pipelines = true;
          break;
        case 'require_alias':
          item.requireAlias = value === true || value === 'true';
          break;
        case 'op_type':
          if (op === 'index' && value === 'create') item.op = 'create';
          break;
      }
    }
    item.index ??= defaults.index;
    item.routing ??= defaults.routing;
    if (defaults.requireAlias && item.requireAlias === undefined) item.requireAlias = true;
    if (item.pipeline === undefined && defaults.pipeline !== undefined) item.pipeline = defaults.pipeline;
    let size = end - start + 1;
    if (op !== 'delete') {
      const doc = nextLine();
      if (!doc) throw illegalArgument(`The bulk request's action on line [${actionLine}] (${op}) has no document line after it`);
      item.start = doc[0];
      item.end = doc[1];
      size += doc[1] - doc[0] + 1;
    }
    if (!item.index) problems.push('index is missing');
    if ((op === 'update' || op === 'delete') && item.id === undefined) problems.push('id is missing');
    if (item.id !== undefined && item.id.length === 0) problems.push('if _id is specified it must not be empty');
    items.push(item);
    sizes.push(size);
    if (item.id === undefined && seen.size < 64) seen.set(text, { ...item, start: undefined, end: undefined } as WriteItem);
  }
  if (items.length === 0) problems.push('no requests added');
  if (problems.length) throw actionRequestValidation(problems);
  return { items, sizes, pipelines };
}

function isBlank(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = body[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export function refreshParam(value: string | undefined): 'true' | 'false' | 'wait_for' {
  if (value === undefined || value === 'false') return 'false';
  if (value === '' || value === 'true') return 'true';
  if (value === 'wait_for') return 'wait_for';
  throw new EsError(400, 'illegal_argument_exception', `Unknown value for refresh: [${value}].`);
}
