/**
 * What the pipeline runtime needs of an output: write a batch of events and answer, per
 * event, acknowledged or dead-letter (with a reason). `write` resolves only when every
 * event has a final answer — outputs retry transient failures themselves, forever,
 * until `stop` aborts them (then `write` rejects with OutputStoppedError and nothing of
 * the batch may be committed).
 */
import type { Event } from '../event.ts';
import type { PackedBulk } from './elasticsearch/packed-bulk.ts';
import type { BulkItem, EventSource } from './elasticsearch/request-builder.ts';

export interface OutputEvent {
  event: Event;
  source: EventSource;
}

export type OutputResult = { ok: true } | { ok: false; reason: string; status?: number };

export interface OutputStatus {
  /** Called once when the destination stops answering (429/5xx/network), and once when it answers again. */
  onUnavailable?: (reason: string) => void;
  onRecovered?: (downMs: number) => void;
  /** A setup step the destination refused for good (a bad index template); writing goes on. */
  onSetupError?: (reason: string) => void;
}

/** A message the kafka output will produce. */
export interface KafkaItem {
  topic: string;
  value: string;
  key: string | null;
}

/**
 * What an output makes of one event before any I/O (plain data, so it can be made in a
 * worker thread): a bulk item or a Kafka message; a string says why the event cannot be
 * sent (it is dead-lettered); null means the output does not take the event.
 */
export type PreparedItem = BulkItem | KafkaItem | string | null;

/** What an output's Preparer makes of a batch: an item per event, or (elasticsearch) the batch's bulk lines in one buffer. */
export type PreparedItems = readonly PreparedItem[] | PackedBulk;

/** The CPU part of an output's write, built from its configuration alone. */
export type Preparer = (events: readonly OutputEvent[]) => PreparedItems;

export interface Output {
  readonly name: string;
  /** `send(prepare(events))`. */
  write(events: readonly OutputEvent[]): Promise<OutputResult[]>;
  /** Sends what a Preparer of this output's configuration made, one answer per item. */
  send(prepared: PreparedItems): Promise<OutputResult[]>;
  stop(): Promise<void>;
}

export class OutputStoppedError extends Error {
  constructor() {
    super('the output was stopped before the batch was acknowledged');
    this.name = 'OutputStoppedError';
  }
}

/** Resolves after `ms`, or rejects with OutputStoppedError when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new OutputStoppedError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new OutputStoppedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
