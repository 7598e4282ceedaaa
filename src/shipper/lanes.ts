/**
 * Topic lanes: events are routed by an attribute (`[fields][sla]` = high → `logs-high`),
 * and a tenant whose rate goes over its events-per-second budget moves to the burst lane
 * until it has stayed within budget for `hold_ms` (hysteresis, so that a tenant near its
 * budget does not flap between lanes).
 *
 * The rate is counted over tumbling windows of `window_ms`: a tenant moves as soon as its
 * count in the current window exceeds `events_per_second × window_ms / 1000`, so one
 * sending 10× its budget moves within the first tenth of a window. The clock is injected.
 */
import { Event } from '../indexer/event.ts';
import { type FieldRef, parseFieldRef } from '../indexer/field-ref.ts';
import { valueText } from '../indexer/sprintf.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Fields } from './event.ts';
import type { LanesConfig } from './config.ts';
import { shipperMetrics } from './metrics.ts';

interface TenantState {
  windowStart: number;
  count: number;
  inBurst: boolean;
  /** End of the last window in which the tenant was over budget. */
  lastOverAt: number;
}

export interface LaneChange {
  tenant: string;
  to: 'burst' | 'normal';
  at: number;
}

export class BurstLane {
  readonly topic: string;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #holdMs: number;
  readonly #tenants = new Map<string, TenantState>();
  readonly #onChange: (change: LaneChange) => void;

  constructor(config: NonNullable<LanesConfig['burst']>, onChange: (change: LaneChange) => void) {
    this.topic = config.topic;
    this.#limit = (config.events_per_second * config.window_ms) / 1000;
    this.#windowMs = config.window_ms;
    this.#holdMs = config.hold_ms;
    this.#onChange = onChange;
  }

  /** Counts one event of `tenant` at `now`; true when the tenant is (now) in the burst lane. */
  record(tenant: string, now: number): boolean {
    const windowStart = now - (now % this.#windowMs);
    let state = this.#tenants.get(tenant);
    if (state === undefined) {
      state = { windowStart, count: 0, inBurst: false, lastOverAt: Number.NEGATIVE_INFINITY };
      this.#tenants.set(tenant, state);
    }
    if (state.windowStart !== windowStart) {
      state.windowStart = windowStart;
      state.count = 0;
    }
    state.count++;
    if (state.count > this.#limit) {
      state.lastOverAt = windowStart + this.#windowMs;
      if (!state.inBurst) {
        state.inBurst = true;
        this.#onChange({ tenant, to: 'burst', at: now });
      }
    } else if (state.inBurst && now - state.lastOverAt >= this.#holdMs) {
      state.inBurst = false;
      this.#onChange({ tenant, to: 'normal', at: now });
    }
    return state.inBurst;
  }

  /** Returns tenants that stayed within budget for the hold time (also when they send nothing). */
  tick(now: number): void {
    for (const [tenant, state] of this.#tenants) {
      if (state.inBurst && now - state.lastOverAt >= this.#holdMs) {
        state.inBurst = false;
        this.#onChange({ tenant, to: 'normal', at: now });
      }
      if (!state.inBurst && now - state.windowStart > 2 * this.#windowMs) this.#tenants.delete(tenant);
    }
  }

  isBurst(tenant: string): boolean {
    return this.#tenants.get(tenant)?.inBurst === true;
  }
}

export interface Lanes {
  /** The lane topic of an event, or undefined when the lanes do not decide. */
  topic(event: Event): string | undefined;
  tick(now: number): void;
}

export function createLanes(config: LanesConfig, now: () => number, logger: Logger): Lanes {
  const field: FieldRef = parseFieldRef(config.field);
  const burst =
    config.burst === undefined
      ? undefined
      : new BurstLane(config.burst, (change) => {
          shipperMetrics.laneMoves.inc({ tenant: change.tenant, to: change.to });
          logger.info({ tenant: change.tenant, lane: change.to === 'burst' ? config.burst!.topic : 'normal' }, change.to === 'burst' ? 'tenant over its rate budget: moved to the burst lane' : 'tenant within its rate budget for the hold time: back to its lane');
        });
  const tenantField: FieldRef | undefined = config.burst === undefined ? undefined : parseFieldRef(config.burst.tenant_field);
  return {
    topic(event) {
      if (burst !== undefined && tenantField !== undefined) {
        const tenant = event.get(tenantField);
        if (tenant !== undefined && tenant !== null && burst.record(valueText(tenant), now())) return burst.topic;
      }
      const value = event.get(field);
      if (value !== undefined && value !== null) {
        const topic = config.topics[valueText(value)];
        if (topic !== undefined) return topic;
      }
      return config.default;
    },
    tick: (at) => burst?.tick(at),
  };
}

export function eventOf(fields: Fields): Event {
  return new Event(fields);
}
