/** Shared pieces of the shipper tests: a shipper against a test broker, a topic reader. */
import { Consumer } from '@platformatic/kafka';
import { shipperConfigSchema } from '../../src/shipper/config.ts';
import { type RunningShipper, type ShipperOptions, startShipper } from '../../src/shipper/shipper.ts';
import type { Logger } from '../../src/telemetry/logger.ts';
import { testLogger } from '../indexer/pipeline/helpers.ts';

export { capturingLogger, eventually, testLogger } from '../indexer/pipeline/helpers.ts';

type TestContext = { after: (fn: () => Promise<void>) => void };

export async function runShipper(
  t: TestContext,
  options: { raw: Record<string, unknown>; bootstrap: string; dir: string; logger?: Logger } & Partial<Omit<ShipperOptions, 'config' | 'bootstrap' | 'dir' | 'logger'>>,
): Promise<RunningShipper> {
  const { raw, bootstrap, dir, logger, ...rest } = options;
  const config = shipperConfigSchema.parse(raw);
  const shipper = await startShipper({ config, bootstrap: [bootstrap], dir, logger: logger ?? testLogger(), ...rest });
  let stopped = false;
  t.after(async () => {
    // The test's temporary folder may be gone already (hooks run in registration order).
    if (!stopped) await shipper.stop().catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  });
  return {
    ...shipper,
    endpoints: shipper.endpoints,
    output: shipper.output,
    registry: shipper.registry,
    async stop() {
      stopped = true;
      await shipper.stop();
    },
  };
}

export interface ReadMessage {
  key: string | undefined;
  value: Record<string, unknown>;
  partition: number;
  offset: bigint;
}

/** Reads a topic from the beginning until `until(messages)` holds or `timeoutMs` passes. */
export async function readTopic(bootstrap: string, topic: string, until: (messages: ReadMessage[]) => boolean, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
    clientId: 'test-shipper-reader',
    groupId: `reader-${topic}-${Date.now()}-${Math.random()}`,
    bootstrapBrokers: [bootstrap],
    maxWaitTime: 100,
    maxBytes: 32 * 1024 * 1024,
    autocommit: false,
  });
  const out: ReadMessage[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
    const timer = setTimeout(() => void stream.close(), timeoutMs);
    if (until(out)) {
      clearTimeout(timer);
      return out;
    }
    for await (const m of stream) {
      out.push({ key: m.key?.length ? m.key.toString() : undefined, value: JSON.parse(m.value!.toString()) as Record<string, unknown>, partition: m.partition, offset: m.offset });
      if (until(out)) break;
    }
    clearTimeout(timer);
  } finally {
    await consumer.close(true);
  }
  return out;
}
