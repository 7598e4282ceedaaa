/**
 * The dead-letter topic of a pipeline: the original message (value, key, headers) plus
 * headers saying why — `loglane.dlq.reason`, `.stage` (decode | filter | output),
 * `.output`, `.source.topic`, `.source.partition`, `.source.offset`, `.pipeline` — so a
 * fixed message can be replayed to its source topic. Produced with acks=all and retried
 * until it succeeds: a message is committed only once its dead letter is written.
 */
import type { Producer } from '@platformatic/kafka';
import { backoffMs } from '../outputs/elasticsearch/retry.ts';
import { sleep } from '../outputs/output.ts';

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: bigint;
  key: Buffer | undefined | null;
  value: Buffer | undefined | null;
  headers: Map<string, Buffer> | undefined;
  stage: 'decode' | 'filter' | 'output';
  reason: string;
  output?: string;
}

export const DLQ_HEADER = 'loglane.dlq.';

export function deadLetterHeaders(pipeline: string, letter: DeadLetter): Map<string, Buffer> {
  const headers = new Map<string, Buffer>();
  for (const [name, value] of letter.headers ?? []) if (!name.startsWith(DLQ_HEADER)) headers.set(name, value);
  const put = (name: string, value: string) => headers.set(`${DLQ_HEADER}${name}`, Buffer.from(value));
  put('reason', letter.reason);
  put('stage', letter.stage);
  if (letter.output !== undefined) put('output', letter.output);
  put('source.topic', letter.topic);
  put('source.partition', String(letter.partition));
  put('source.offset', String(letter.offset));
  put('pipeline', pipeline);
  return headers;
}

export async function writeDeadLetters(producer: Producer<Buffer, Buffer, string, Buffer>, topic: string, pipeline: string, letters: readonly DeadLetter[], signal: AbortSignal): Promise<void> {
  if (letters.length === 0) return;
  const messages = letters.map((letter) => ({
    topic,
    value: letter.value ?? Buffer.alloc(0),
    headers: deadLetterHeaders(pipeline, letter),
    ...(letter.key == null ? {} : { key: letter.key }),
  }));
  for (let attempt = 1; ; attempt++) {
    try {
      await producer.send({ messages, acks: -1 });
      return;
    } catch {
      await sleep(backoffMs(attempt, 100, 30_000), signal);
    }
  }
}
