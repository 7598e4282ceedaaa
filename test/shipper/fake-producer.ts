/** A scripted producer for output tests: records sends, can fail or hold them. */
import type { ProducerLike } from '../../src/shipper/output.ts';

export interface SentMessage {
  topic: string;
  key: string | undefined;
  value: Record<string, unknown>;
}

export class FakeProducer implements ProducerLike {
  readonly sent: SentMessage[] = [];
  sends = 0;
  failures = 0;
  /** While > 0, sends fail (and count down). */
  failNext = 0;
  /** While true, sends fail (Kafka down). */
  down = false;
  /** While set, sends wait for it. */
  gate: Promise<void> | undefined;
  closed = 0;

  async send(options: Parameters<ProducerLike['send']>[0]): Promise<unknown> {
    this.sends++;
    if (this.gate) await this.gate;
    if (this.down || this.failNext > 0) {
      if (this.failNext > 0) this.failNext--;
      this.failures++;
      throw new Error('Connection refused');
    }
    for (const m of options.messages) this.sent.push({ topic: m.topic, key: m.key?.toString(), value: JSON.parse(m.value!.toString()) as Record<string, unknown> });
    return {};
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
