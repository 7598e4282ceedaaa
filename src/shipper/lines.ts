/**
 * Turns lines into events for the line inputs (file, stdin): multiline joining, then
 * NDJSON decoding, then `@timestamp`, `message`, the input's own fields (`log.file.path`,
 * `log.offset`), `host.name`, configured `fields` and `tags`.
 */
import type { MultilineConfig, NdjsonConfig } from './config.ts';
import { addFlag, type Decoration, decorate, type Fields } from './event.ts';
import { type Line, Multiline } from './multiline.ts';
import { applyNdjson } from './ndjson.ts';

export interface LineEventizerOptions {
  multiline?: MultilineConfig | undefined;
  ndjson?: NdjsonConfig | undefined;
  decoration: Decoration;
  /** The input's own fields of an event (a fresh object each call). */
  base: (line: Line) => Fields;
  now?: () => number;
}

let lastMs = 0;
let lastIso = '';
/** The current time as ISO 8601, formatted once per millisecond. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export interface LineEvent {
  fields: Fields;
  line: Line;
}

export class LineEventizer {
  readonly #options: LineEventizerOptions;
  readonly #multiline: Multiline | undefined;
  readonly #now: () => number;

  constructor(options: LineEventizerOptions) {
    this.#options = options;
    this.#multiline = options.multiline === undefined ? undefined : new Multiline(options.multiline);
    this.#now = options.now ?? Date.now;
  }

  /** Events completed by these lines (in order). */
  push(lines: readonly Line[]): LineEvent[] {
    const out: LineEvent[] = [];
    const multiline = this.#multiline;
    if (multiline === undefined) {
      for (const line of lines) out.push(this.#event(line));
      return out;
    }
    const now = this.#now();
    for (const line of lines) for (const done of multiline.push(line, now)) out.push(this.#event(done));
    return out;
  }

  /** The multi-line event waiting longer than its timeout, if any (`force`: whatever waits). */
  flush(force = false): LineEvent[] {
    const done = force ? this.#multiline?.flush() : this.#multiline?.flushIfOlder(this.#now());
    return done === undefined ? [] : [this.#event(done)];
  }

  get pending(): boolean {
    return this.#multiline?.pending === true;
  }

  get timeoutMs(): number | undefined {
    return this.#multiline?.timeoutMs;
  }

  #event(line: Line): LineEvent {
    const { ndjson, decoration, base } = this.#options;
    const fields: Fields = { '@timestamp': isoNow(), message: line.text, ...base(line) };
    if (line.flags !== undefined) for (const flag of line.flags) addFlag(fields, flag);
    if (ndjson !== undefined) applyNdjson(fields, line.text, ndjson);
    decorate(fields, decoration);
    return { fields, line };
  }
}
