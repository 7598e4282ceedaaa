import type { ErrorCode } from './codes.ts';

export interface LoglaneErrorOptions {
  /** Whether repeating the same operation later may succeed. Always stated explicitly. */
  retriable: boolean;
  cause?: unknown;
  /** Structured context (file, line, key path, topic, ...). Never put secrets here. */
  context?: Record<string, unknown>;
}

/** The one base error of loglane: a stable code, a retry verdict, a cause and context. */
export class LoglaneError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: LoglaneErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoglaneError';
    this.code = code;
    this.retriable = options.retriable;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retriable: this.retriable, context: this.context };
  }
}

export function isLoglaneError(error: unknown, code?: ErrorCode): error is LoglaneError {
  return error instanceof LoglaneError && (code === undefined || error.code === code);
}
