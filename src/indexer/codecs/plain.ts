/**
 * `plain` codec: the whole message value is one event's `message` (one trailing line
 * break is dropped). Invalid UTF-8 bytes become U+FFFD, never a failure.
 */
import { type Codec, type KafkaRecordInfo, noValueFailure, onlyEvent, valueText } from './codec.ts';

const NAME = 'plain';

export function createPlainCodec(): Codec {
  return {
    name: NAME,
    decode(value, record) {
      if (value === null || value === undefined) return { events: [], failures: [noValueFailure(NAME)] };
      return { events: [plainEvent(valueText(value, false) as string, record)], failures: [] };
    },
  };
}

export function plainEvent(text: string, record: KafkaRecordInfo | undefined) {
  let message = text;
  if (message.endsWith('\n')) message = message.slice(0, message.endsWith('\r\n') ? -2 : -1);
  return onlyEvent({ message }, record);
}
