/**
 * Errors in Elasticsearch's shape. Everything the store answers with a 4xx/5xx is an
 * EsError: an HTTP status, Elasticsearch's exception `type` name (clients and users match
 * on it), a `reason`, extra metadata fields (`index`, `index_uuid`, `resource.id`, ...)
 * and an optional `caused_by`. The HTTP layer turns it into
 * `{error:{root_cause:[...],type,reason,...},status}`; bulk items carry `error:{type,reason,...}`.
 *
 * EsErrors cross the engine's worker boundary as plain objects (`toWire` / `fromWire`).
 */

export interface EsCause {
  type: string;
  reason: string;
  [key: string]: unknown;
}

export class EsError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly causedBy: EsCause | undefined;
  /** Response headers that go with this error (e.g. WWW-Authenticate on 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    type: string,
    reason: string,
    extra: Record<string, unknown> = {},
    causedBy?: EsCause,
    headers: Record<string, string> = {},
  ) {
    super(reason);
    this.name = 'EsError';
    this.status = status;
    this.type = type;
    this.extra = extra;
    this.causedBy = causedBy;
    this.headers = headers;
  }

  get reason(): string {
    return this.message;
  }

  /** The `error` object of a response (root_cause first, as Elasticsearch orders keys). */
  toErrorObject(): Record<string, unknown> {
    const own = { type: this.type, reason: this.reason, ...this.extra };
    return { root_cause: [own], ...own, ...(this.causedBy ? { caused_by: this.causedBy } : {}) };
  }

  /** The whole response body. */
  toBody(): { error: Record<string, unknown>; status: number } {
    return { error: this.toErrorObject(), status: this.status };
  }

  /** The `error` of a bulk item (no root_cause). */
  toItemError(): Record<string, unknown> {
    return { type: this.type, reason: this.reason, ...this.extra, ...(this.causedBy ? { caused_by: this.causedBy } : {}) };
  }

  toWire(): WireError {
    return { __esError: true, status: this.status, type: this.type, reason: this.reason, extra: { ...this.extra }, causedBy: this.causedBy, headers: { ...this.headers } };
  }

  static fromWire(wire: WireError): EsError {
    return new EsError(wire.status, wire.type, wire.reason, wire.extra, wire.causedBy, wire.headers);
  }
}

export interface WireError {
  __esError: true;
  status: number;
  type: string;
  reason: string;
  extra: Record<string, unknown>;
  causedBy: EsCause | undefined;
  headers: Record<string, string>;
}

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as WireError).__esError === true;
}

// Constructors for the errors the store raises most, with Elasticsearch's wording.

export function indexNotFound(index: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });
}

export function illegalArgument(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, 'illegal_argument_exception', reason, {}, causedBy);
}

export function parsingError(reason: string, line = 1, col = 1): EsError {
  return new EsError(400, 'parsing_exception', reason, { line, col });
}

export function xContentParseError(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, 'x_content_parse_exception', reason, {}, causedBy);
}

export function actionRequestValidation(problems: string[]): EsError {
  return new EsError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
}

export function resourceAlreadyExists(index: string, uuid: string): EsError {
  return new EsError(400, 'resource_already_exists_exception', `index [${index}/${uuid}] already exists`, { index_uuid: uuid, index });
}

export function invalidIndexName(index: string, why: string): EsError {
  return new EsError(400, 'invalid_index_name_exception', `Invalid index name [${index}], ${why}`, { index_uuid: '_na_', index });
}

export function resourceNotFound(reason: string): EsError {
  return new EsError(404, 'resource_not_found_exception', reason);
}

export function mapperParsing(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, 'mapper_parsing_exception', reason, {}, causedBy);
}

export function documentParsing(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, 'document_parsing_exception', reason, {}, causedBy);
}

export function rejectedExecution(reason: string): EsError {
  return new EsError(429, 'es_rejected_execution_exception', reason);
}

export function internalError(reason: string): EsError {
  return new EsError(500, 'exception', reason);
}

/** Whatever was thrown, as an EsError (unknown failures are 500s with their message). */
export function toEsError(error: unknown): EsError {
  if (error instanceof EsError) return error;
  if (isWireError(error)) return EsError.fromWire(error);
  const message = error instanceof Error ? error.message : String(error);
  return internalError(message);
}
