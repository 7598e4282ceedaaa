/**
 * Every component `loglane up` knows, in start order (servers before the pipeline parts
 * that connect to them). Components stop in the reverse order.
 */
import { brokerComponent } from '../broker/component.ts';
import { indexerComponent } from '../indexer/component.ts';
import { shipperComponent } from '../shipper/component.ts';
import { storeComponent } from '../store/component.ts';
import type { Component } from './component.ts';

export const COMPONENTS: readonly Component[] = [brokerComponent, shipperComponent, storeComponent, indexerComponent];
