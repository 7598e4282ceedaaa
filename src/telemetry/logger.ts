/**
 * Structured logs: pino, JSON lines by default, pretty when the log stream is a terminal.
 * Logs go to stderr so that a command's own output (endpoints, tables, records) stays
 * clean on stdout.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/schema.ts';

export type { Logger };

export interface LoggerOptions {
  level: LogLevel;
  format: 'auto' | 'json' | 'pretty';
  /** Defaults to process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && stream.isTTY === true);
  const base = { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (usePretty) {
    return pino(base, pretty({ destination: stream, colorize: stream.isTTY === true, sync: true, ignore: 'pid,hostname' }));
  }
  return pino(base, stream === process.stderr ? pino.destination({ fd: 2, sync: true }) : stream);
}

/** A logger that drops everything, for library use and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
