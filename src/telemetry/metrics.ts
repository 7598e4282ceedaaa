/**
 * The shared metrics registry. Every component registers its metrics here (through the
 * helpers below, so that a component started twice in one process — as tests do — reuses
 * the same metric objects instead of failing on duplicate registration).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
let defaultsCollected = false;

export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, prefix: 'loglane_' });
}

type Config<T extends string> = { name: string; help: string; labelNames?: readonly T[] };

export function counter<T extends string>(config: Config<T> & { collect?: (this: Counter<T>) => void | Promise<void> }): Counter<T> {
  return (registry.getSingleMetric(config.name) as Counter<T> | undefined) ?? new Counter<T>({ ...config, registers: [registry] });
}

export function gauge<T extends string>(config: Config<T> & { collect?: (this: Gauge<T>) => void | Promise<void> }): Gauge<T> {
  return (registry.getSingleMetric(config.name) as Gauge<T> | undefined) ?? new Gauge<T>({ ...config, registers: [registry] });
}

export function histogram<T extends string>(config: Config<T> & { buckets?: number[] }): Histogram<T> {
  return (registry.getSingleMetric(config.name) as Histogram<T> | undefined) ?? new Histogram<T>({ ...config, registers: [registry] });
}

/** Latency buckets in seconds, from 0.1 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
