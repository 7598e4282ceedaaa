/**
 * Turns events into `_bulk` lines: the index name from a template (sprintf: event fields
 * and `@timestamp`), the action, and the document id — `<topic>-<partition>-<offset>`
 * by default (plus `-<n>` for the n-th event of a message that decoded or was split into
 * several), so a replay overwrites instead of duplicating.
 */
import type { Event } from '../../event.ts';
import { compileTemplate, type Template } from '../../sprintf.ts';
import type { ElasticsearchOutputConfig } from './config.ts';
import { type PackedBulk, PackedBulkWriter } from './packed-bulk.ts';
import type { BulkAction } from './retry.ts';

/** Where an event came from: the Kafka record and its position among the record's events. */
export interface EventSource {
  topic: string;
  partition: number;
  offset: number | string;
  /** 0 for the first (usually only) event of the record. */
  sequence: number;
}

export interface BulkItem {
  action: BulkAction;
  /** The action line and, except for delete, the source line, each ending with "\n". */
  body: string;
  bytes: number;
}

export type BuildResult = { ok: true; item: BulkItem } | { ok: false; reason: string };

export interface RequestBuilder {
  build(event: Event, source: EventSource): BuildResult;
}

/** The elasticsearch output's Preparer: the batch's bulk items packed in one buffer (packed-bulk.ts). */
export function elasticsearchPreparer(config: Pick<ElasticsearchOutputConfig, 'index' | 'action' | 'document_id'>): (events: readonly { event: Event; source: EventSource }[]) => PackedBulk {
  const lines = createLineBuilder(config);
  return (events) => {
    const writer = new PackedBulkWriter(config.action, events.length);
    for (const { event, source } of events) {
      const l = lines(event, source);
      if (typeof l === 'string') {
        writer.refuse(l);
        continue;
      }
      writer.write(l.action);
      if (l.source !== undefined) {
        writer.write(l.source);
        writer.newline();
      }
      writer.end();
    }
    return writer.finish();
  };
}

export function createRequestBuilder(config: Pick<ElasticsearchOutputConfig, 'index' | 'action' | 'document_id'>): RequestBuilder {
  const lines = createLineBuilder(config);
  return {
    build(event, source) {
      const l = lines(event, source);
      if (typeof l === 'string') return { ok: false, reason: l };
      const body = l.source === undefined ? l.action : `${l.action}${l.source}\n`;
      return { ok: true, item: { action: config.action, body, bytes: Buffer.byteLength(body) } };
    },
  };
}

/** An event's action line (with its "\n") and source line (without), or why it cannot be built. */
function createLineBuilder(config: Pick<ElasticsearchOutputConfig, 'index' | 'action' | 'document_id'>): (event: Event, source: EventSource) => { action: string; source: string | undefined } | string {
  const index: Template = compileTemplate(config.index);
  const idTemplate: Template | undefined = config.document_id === 'kafka' || config.document_id === 'auto' ? undefined : compileTemplate(config.document_id);
  const action = config.action;
  let lastName: string | undefined;
  let lastPrefix = '';
  return (event, source) => {
    const name = index.render(event);
    // lastName passed these checks (most events of a batch go to the same index).
    if (name !== lastName) {
      if (name.includes('%{')) return `the index name template ${JSON.stringify(config.index)} has a field the event lacks (rendered ${JSON.stringify(name)})`;
      if (!validIndexName(name)) return `invalid index name ${JSON.stringify(name)} (lowercase, no spaces or \\/*?"<>|,#:, not starting with -, _ or +)`;
    }
    let id: string | undefined;
    if (config.document_id === 'kafka') id = `${source.topic}-${source.partition}-${source.offset}${source.sequence === 0 ? '' : `-${source.sequence}`}`;
    else if (idTemplate !== undefined) {
      id = idTemplate.render(event);
      if (id.includes('%{') || id === '') return `the document_id template ${JSON.stringify(config.document_id)} has a field the event lacks`;
    }
    if (id === undefined && (action === 'update' || action === 'delete')) return `action ${action} needs a document id`;
    // The action line by concatenation (the bench's hottest lines): the index name is
    // quoted once per distinct name, the id quoted only when it needs escaping.
    if (name !== lastName) {
      lastName = name;
      lastPrefix = `{"${action}":{"_index":${JSON.stringify(name)}`;
    }
    const actionLine = id === undefined ? `${lastPrefix}}}\n` : `${lastPrefix},"_id":${SAFE_ID.test(id) ? `"${id}"` : JSON.stringify(id)}}}\n`;
    // JSON.stringify leaves out fields a filter removed (set to undefined), so the live
    // fields serialize to what event.toDocument() would copy out.
    if (action === 'update') return { action: actionLine, source: `{"doc":${JSON.stringify(event.fields)},"doc_as_upsert":true}` };
    if (action === 'delete') return { action: actionLine, source: undefined };
    return { action: actionLine, source: JSON.stringify(event.fields) };
  };
}

/** Ids that need no JSON escaping (Kafka topic names are [a-zA-Z0-9._-]). */
const SAFE_ID = /^[\w.-]*$/;

function validIndexName(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) <= 255 && name === name.toLowerCase() && !/[\s\\/*?"<>|,#:]/.test(name) && !/^[-_+]/.test(name) && name !== '.' && name !== '..';
}
