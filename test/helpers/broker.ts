/** Starts an embedded broker in this process on a free port, in a temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Broker } from '../../src/broker/broker.ts';
import { type BrokerConfig, brokerConfigSchema } from '../../src/broker/config.ts';
import { createLogger, silentLogger } from '../../src/telemetry/logger.ts';

export interface TestBroker {
  broker: Broker;
  bootstrap: string;
  dir: string;
  /** Stops this broker and starts a new one on the same folder and port. */
  restart(): Promise<TestBroker>;
}

type TestContext = { after: (fn: () => Promise<void>) => void };

export async function startTestBroker(t: TestContext, overrides: Partial<BrokerConfig> = {}): Promise<TestBroker> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-broker-'));
  let current: Broker | undefined;
  // One hook: the broker (whichever restart is current) stops before its folder goes.
  t.after(async () => {
    await current?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const launch = async (port: number): Promise<TestBroker> => {
    const config = brokerConfigSchema.parse({ group_initial_rebalance_delay_ms: 0, ...overrides, port });
    // LOGLANE_TEST_LOG=debug shows the broker's logs on stderr when a test needs explaining.
    const level = process.env.LOGLANE_TEST_LOG as 'debug' | 'info' | undefined;
    const logger = level ? createLogger({ level, format: 'json' }) : silentLogger();
    const broker = await Broker.start({ config, dir, logger });
    current = broker;
    return {
      broker,
      bootstrap: `127.0.0.1:${broker.port}`,
      dir,
      async restart() {
        await broker.stop();
        return launch(broker.port);
      },
    };
  };
  return launch(overrides.port ?? 0);
}

let counter = 0;
/** A topic name no other test uses. */
export function uniqueTopic(prefix = 'topic'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}
