/**
 * Shipper events: plain JSON objects (`@timestamp`, `message`, `host.name`, `log.*`,
 * `fields`, `tags`), with an acknowledgement callback that inputs use to learn that Kafka
 * has the event (files advance their registry, the HTTP input answers).
 */
import type { Fields } from '../indexer/event.ts';

export type { Fields };

export interface ShipperEvent {
  fields: Fields;
  /** The input's id (metrics, reject file). */
  input: string;
  /** Called once, in order per input, when Kafka acknowledged the event (or it went to the reject file). */
  ack?: (() => void) | undefined;
}

export interface Decoration {
  hostName: string;
  fields: Readonly<Fields>;
  fieldsUnderRoot: boolean;
  tags: readonly string[];
}

/** Adds `host.name`, the configured fields and tags (configured fields never replace the shipper's own). */
export function decorate(event: Fields, d: Decoration): Fields {
  const host = event.host;
  if (host === undefined) event.host = { name: d.hostName };
  else if (host !== null && typeof host === 'object' && !Array.isArray(host) && (host as Fields).name === undefined) (host as Fields).name = d.hostName;
  const keys = Object.keys(d.fields);
  if (keys.length > 0) {
    if (d.fieldsUnderRoot) {
      for (const key of keys) if (event[key] === undefined) event[key] = structuredClone(d.fields[key]);
    } else {
      event.fields = { ...(structuredClone(d.fields) as Fields), ...((event.fields as Fields | undefined) ?? {}) };
    }
  }
  if (d.tags.length > 0) addTags(event, d.tags);
  return event;
}

export function addTags(event: Fields, tags: readonly string[]): void {
  const current = event.tags;
  const list = Array.isArray(current) ? (current as unknown[]) : current === undefined || current === null ? [] : [current];
  for (const tag of tags) if (!list.includes(tag)) list.push(tag);
  event.tags = list;
}

export function addFlag(event: Fields, flag: string): void {
  const log = (event.log ??= {}) as Fields;
  const flags = (log.flags ??= []) as string[];
  if (!flags.includes(flag)) flags.push(flag);
}
