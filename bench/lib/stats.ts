/**
 * Small numeric and formatting helpers shared by the benchmark scenarios. Sizes use
 * decimal units (1 MB = 10^6 bytes) so MB/s lines compare directly with `dd` and kcat.
 */

export const MB = 1_000_000;
export const MIB = 1024 * 1024;

/** The middle value (the lower middle for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export function min(values: readonly number[]): number {
  return Math.min(...values);
}

export function max(values: readonly number[]): number {
  return Math.max(...values);
}

/** `12.3` (MB/s with one decimal). */
export function mbps(bytes: number, seconds: number): number {
  return bytes / MB / seconds;
}

/** 617k, 1.23M: a records/s count short enough for one comparable line. */
export function formatCount(n: number): string {
  if (n >= 10_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toFixed(0);
}

/** 1.07 GB, 104.9 MB, 512 kB. */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e3).toFixed(0)} kB`;
}

/** Reads a positive number from the environment, or the default; exits with a message when it is not a number. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`${name} must be a positive number, got "${raw}"\n`);
    process.exit(2);
  }
  return value;
}

/**
 * Reads a byte count such as `1073741824`, `256M`, `1G` (binary multiples: k = KiB, M =
 * MiB, G = GiB) from the environment, or the default.
 */
export function envBytes(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?$/.exec(raw.trim());
  if (!match) {
    process.stderr.write(`${name} must be a byte count like 1073741824, 256M or 1G; got "${raw}"\n`);
    process.exit(2);
  }
  const unit = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * unit);
}
