/** The broker as a component of `loglane up` (and of `loglane broker`). */
import type { Component } from '../runtime/component.ts';
import { Broker } from './broker.ts';

export const brokerComponent: Component = {
  name: 'broker',
  enabled: (config) => config.broker.enabled,
  async start({ config, dataDir, logger }) {
    const broker = await Broker.start({ config: config.broker, dir: dataDir.componentDir('broker'), logger });
    return {
      name: 'broker',
      endpoints: [{ name: 'kafka', host: broker.host, port: broker.port }],
      ready: () => true,
      stop: () => broker.stop(),
    };
  },
};
