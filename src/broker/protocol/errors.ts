import { LoglaneError } from '../../errors/loglane-error.ts';

/**
 * What decode and encode errors share: the detail, the field path collected while the
 * error travels up through nested structs ("topicData[0].partitionData"), and the name of
 * the message ("Produce v9 request"), all folded into the error's message.
 */
abstract class ProtocolError extends LoglaneError {
  readonly detail: string;
  readonly path: string[] = [];
  messageName = '';

  constructor(code: 'LOGLANE_ERR_BROKER_FRAME' | 'LOGLANE_ERR_BROKER_ENCODE', detail: string, message: string, context: Record<string, unknown>) {
    super(code, message, { retriable: false, context });
    this.detail = detail;
  }

  /** Prepends a path segment (a field name or an "[index]") while the error travels up. */
  within(segment: string): this {
    this.path.unshift(segment);
    this.message = this.render();
    return this;
  }

  /** Names the message being decoded or encoded ("Produce v9 request"). */
  inMessage(messageName: string): this {
    this.messageName = messageName;
    this.message = this.render();
    return this;
  }

  /** The field path as one string: "topicData[0].partitionData[1].records". */
  get fieldPath(): string {
    let out = '';
    for (const segment of this.path) {
      if (segment.startsWith('[') || out === '') out += segment;
      else out += `.${segment}`;
    }
    return out;
  }

  /** Where in the bytes the problem is ("at byte 42"), if known. */
  protected abstract location(): string;

  private render(): string {
    let text = `${this.detail}${this.location()}`;
    if (this.messageName !== '') text += ` in ${this.messageName}`;
    if (this.path.length > 0) text += ` field ${this.fieldPath}`;
    return text;
  }
}

/**
 * Bytes that are not a valid Kafka message: truncated input, a negative or huge length,
 * a null where the field is not nullable, a varint that never ends, an unknown API.
 *
 * `offset` is the absolute byte offset in the decoded buffer where the bad value starts,
 * `detail` what was being read ("array length -7"), `path` the field path inside the
 * message (["topicData", "[0]", "partitionData"]) and `messageName` the message being
 * decoded ("Produce v9 request"). The message reads like
 * "array length -7 at byte 42 in Produce v9 request field topicData[0].partitionData".
 *
 * Never retriable: the same bytes fail the same way. The broker closes the connection.
 */
export class ProtocolDecodeError extends ProtocolError {
  readonly offset: number;

  constructor(detail: string, offset: number) {
    super('LOGLANE_ERR_BROKER_FRAME', detail, `${detail} at byte ${offset}`, { detail, offset });
    this.name = 'ProtocolDecodeError';
    this.offset = offset;
  }

  protected location(): string {
    return ` at byte ${this.offset}`;
  }
}

/**
 * A value that cannot be written in the requested version: a number out of the type's
 * range, a null in a non-nullable field, a string longer than 32767 bytes, a bad UUID.
 * This is a programming error in the caller (a handler or a CLI tool), never the peer's.
 */
export class ProtocolEncodeError extends ProtocolError {
  constructor(detail: string) {
    super('LOGLANE_ERR_BROKER_ENCODE', detail, detail, { detail, direction: 'encode' });
    this.name = 'ProtocolEncodeError';
  }

  protected location(): string {
    return '';
  }
}
