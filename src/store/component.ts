/** The store as a component of `loglane up` (and of `loglane store`). */
import type { Component } from '../runtime/component.ts';
import { Store } from './store.ts';

export const storeComponent: Component = {
  name: 'store',
  enabled: (config) => config.store.enabled,
  async start({ config, dataDir, logger }) {
    const store = await Store.start({ config: structuredClone(config.store) as never, dir: dataDir.componentDir('store'), logger });
    return {
      name: 'store',
      endpoints: [{ name: 'elasticsearch', host: store.host, port: store.port }],
      ready: () => true,
      stop: () => store.stop(),
    };
  },
};
