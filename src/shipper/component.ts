/**
 * The shipper as a component of `loglane up` (after the broker) and of `loglane ship`.
 * It produces to `shipper.kafka.bootstrap_servers`, or to the embedded broker of the
 * same configuration (at the port it really got when started in this process).
 */
import type { Config } from '../config/load.ts';
import type { Component, Endpoint } from '../runtime/component.ts';
import { startShipper } from './shipper.ts';

function connectHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
}

export function shipperBootstrap(config: Config, started: readonly Endpoint[] = []): string[] | undefined {
  if (config.shipper.kafka.bootstrap_servers !== null) return [...config.shipper.kafka.bootstrap_servers];
  const kafka = started.find((e) => e.name === 'kafka');
  const port = config.broker.advertised_port ?? kafka?.port ?? config.broker.port;
  return port === 0 ? undefined : [`${connectHost(config.broker.advertised_host ?? config.broker.host)}:${port}`];
}

export const shipperComponent: Component = {
  name: 'shipper',
  aliases: ['ship'],
  enabled: (config) => config.shipper.enabled,
  async start({ config, dataDir, logger, endpoints }) {
    const bootstrap = shipperBootstrap(config, endpoints);
    if (bootstrap === undefined) {
      logger.warn({ broker_port: config.broker.port }, 'shipper not started: the embedded broker listens on a port chosen at start (0) by another process; set shipper.kafka.bootstrap_servers');
      return { name: 'shipper', endpoints: [], ready: () => false, stop: async () => {} };
    }
    const shipper = await startShipper({ config: config.shipper, bootstrap, dir: dataDir.componentDir('shipper'), logger });
    return {
      name: 'shipper',
      endpoints: shipper.endpoints,
      ready: () => shipper.output.state() !== 'unavailable',
      stop: () => shipper.stop(),
    };
  },
};
