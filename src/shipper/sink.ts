/** What inputs see of the output. */
import type { ShipperEvent } from './event.ts';
import type { OutputState } from './output.ts';

export interface Sink {
  /** Takes events, waiting while the queue is full. */
  publish(events: ShipperEvent[]): Promise<void>;
  /** Takes events only when the queue has room and Kafka answers; says why not otherwise. */
  offer(events: ShipperEvent[]): OutputState;
  state(): OutputState;
}
