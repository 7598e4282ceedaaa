/**
 * Time zones for reading wall-clock times: IANA names (`Europe/Paris`), fixed offsets
 * (`+02:00`, `-0500`, `UTC`, `Z`) and `local` (the process's zone, Logstash's default).
 */
import { FixedOffsetZone, IANAZone, SystemZone, type Zone as LuxonZone } from 'luxon';
import { parseOffsetMs } from '../timestamp.ts';

export interface Zone {
  readonly name: string;
  /** The offset (ms) of the zone for a wall-clock time given as if it were UTC milliseconds. */
  offsetForLocal(localMs: number): number;
}

const UTC_NAMES = new Set(['UTC', 'Z', 'GMT', 'Etc/UTC', 'Etc/GMT', 'UCT', 'Zulu', 'Universal']);

export const UTC_ZONE: Zone = { name: 'UTC', offsetForLocal: () => 0 };

function fixedZone(name: string, offsetMs: number): Zone {
  return { name, offsetForLocal: () => offsetMs };
}

function luxonZone(name: string, zone: LuxonZone): Zone {
  return {
    name,
    offsetForLocal(localMs: number): number {
      // Two steps find the offset in effect at that wall-clock time (DST changes included).
      const first = zone.offset(localMs) * 60_000;
      const second = zone.offset(localMs - first) * 60_000;
      return second;
    },
  };
}

/** The zone of a name, or undefined when the name is not a known zone or offset. */
export function resolveZone(name: string): Zone | undefined {
  if (UTC_NAMES.has(name)) return UTC_ZONE;
  if (name === 'local') return luxonZone('local', SystemZone.instance);
  if (/^[+-]\d{2}(?::?\d{2})?$/.test(name)) {
    const offset = parseOffsetMs(name);
    return Number.isNaN(offset) ? undefined : fixedZone(name, offset);
  }
  if (/^(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?$/.test(name)) {
    const zone = FixedOffsetZone.parseSpecifier(name.replace(/^GMT/, 'UTC'));
    return zone?.isValid ? luxonZone(name, zone) : undefined;
  }
  const zone = IANAZone.create(name);
  return zone.isValid ? luxonZone(name, zone) : undefined;
}
