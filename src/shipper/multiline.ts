/**
 * Joins lines into multi-line events (Filebeat's `multiline` with `type: pattern`):
 * a line "matches" when the pattern matches it, inverted by `negate`. With
 * `match: after`, matching lines are appended to the line before them (a Java stack
 * trace: `pattern: '^\s', negate: false` or `pattern: '^\d{4}-', negate: true`); with
 * `match: before`, matching lines are prepended to the line after them. An event ends at
 * `max_lines` lines (later lines of it are dropped and the event is flagged
 * `multiline_truncated`) or when no line came for `timeout_ms` (the caller calls
 * `flushIfOlder`).
 */
import type { MultilineConfig } from './config.ts';

export interface Line {
  text: string;
  /** Byte offset of the line's start (files). */
  offset: number;
  /** Byte offset just after the line's end, newline included (files). */
  end: number;
  flags?: string[] | undefined;
}

export class Multiline {
  readonly #pattern: RegExp;
  readonly #negate: boolean;
  readonly #after: boolean;
  readonly #maxLines: number;
  readonly timeoutMs: number;
  #group: Line[] = [];
  #dropped = false;
  #startedAt = 0;

  constructor(config: MultilineConfig) {
    this.#pattern = new RegExp(config.pattern);
    this.#negate = config.negate;
    this.#after = config.match === 'after';
    this.#maxLines = config.max_lines;
    this.timeoutMs = config.timeout_ms;
  }

  /** Takes a line; returns the events it completed (zero or one). */
  push(line: Line, now: number): Line[] {
    const matches = this.#pattern.test(line.text) !== this.#negate;
    const out: Line[] = [];
    if (this.#after) {
      // A matching line continues the current event; any other starts a new one.
      if (!matches || this.#group.length === 0) {
        const done = this.flush();
        if (done) out.push(done);
      }
      this.#add(line, now);
    } else {
      // A matching line continues into the next one; a non-matching line ends the event.
      this.#add(line, now);
      if (!matches) {
        const done = this.flush();
        if (done) out.push(done);
      }
    }
    return out;
  }

  #add(line: Line, now: number): void {
    if (this.#group.length === 0) this.#startedAt = now;
    if (this.#group.length >= this.#maxLines) {
      this.#dropped = true;
      // The event still covers the dropped line's bytes (the registry moves past them).
      this.#group[this.#group.length - 1] = { ...this.#group[this.#group.length - 1]!, end: line.end };
      return;
    }
    this.#group.push(line);
  }

  /** True when an event waits for more lines. */
  get pending(): boolean {
    return this.#group.length > 0;
  }

  /** Ends the current event when it waited longer than the timeout. */
  flushIfOlder(now: number): Line | undefined {
    return this.#group.length > 0 && now - this.#startedAt >= this.timeoutMs ? this.flush() : undefined;
  }

  /** Ends the current event now. */
  flush(): Line | undefined {
    const group = this.#group;
    if (group.length === 0) return undefined;
    this.#group = [];
    const flags = new Set<string>();
    for (const l of group) for (const f of l.flags ?? []) flags.add(f);
    if (group.length > 1) flags.add('multiline');
    if (this.#dropped) flags.add('multiline_truncated');
    this.#dropped = false;
    return {
      text: group.length === 1 ? group[0]!.text : group.map((l) => l.text).join('\n'),
      offset: group[0]!.offset,
      end: group[group.length - 1]!.end,
      flags: flags.size === 0 ? undefined : [...flags],
    };
  }
}
