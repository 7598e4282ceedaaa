/**
 * `geoip`: where an IP address is, from a MaxMind DB file the user provides (`database`:
 * GeoLite2/GeoIP2 City, Country or ASN, or a DB-IP / ip-location-db `.mmdb`). No database
 * ships with loglane — none is in an allowed npm package and nothing is downloaded at
 * run time — so `database` is required.
 *
 * Output under `target` (default `geoip`), with Logstash's classic field names: `ip`,
 * `city_name`, `country_name`, `country_code2`, `continent_code`, `region_name`,
 * `region_code`, `postal_code`, `timezone`, `latitude`, `longitude`, `location`
 * ({lat, lon}, for a geo_point), `dma_code`, and for ASN databases `asn`, `as_org`.
 * `fields` keeps only some of them. An address the database does not know (private
 * ranges, say) or text that is not an IP tags `_geoip_lookup_failure`.
 */
import { z } from 'zod';
import { parseFieldRef } from '../field-ref.ts';
import { MmdbReader } from '../geoip/mmdb.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef, OptionError } from './options.ts';

type Fields = Record<string, unknown>;

const readers = new Map<string, MmdbReader>();

export const geoipFilter = defineFilter(
  'geoip',
  {
    source: fieldRef(),
    target: fieldRef().default('geoip'),
    database: z
      .string({ error: 'the path of a MaxMind DB (.mmdb) file: no GeoIP database ships with loglane' })
      .min(1, 'the path of a MaxMind DB (.mmdb) file: no GeoIP database ships with loglane'),
    fields: z.array(z.string()).optional(),
    language: z.string().default('en'),
    cache_size: z.number().int().min(0).default(1000),
    tag_on_failure: failureTags('_geoip_lookup_failure'),
  },
  (options) => {
    let reader = readers.get(options.database);
    if (reader === undefined) {
      try {
        reader = MmdbReader.open(options.database);
      } catch (error) {
        throw new OptionError(['database'], `a readable MaxMind DB (.mmdb) file (${(error as Error).message})`);
      }
      readers.set(options.database, reader);
    }
    const db = reader;
    const source = parseFieldRef(options.source);
    const target = parseFieldRef(options.target);
    const keep = options.fields === undefined ? undefined : new Set(options.fields);
    const cache = new Map<string, Fields | null>();
    const tags = options.tag_on_failure;
    const lookup = (ip: string): Fields | null => {
      const cached = cache.get(ip);
      if (cached !== undefined) return cached;
      const found = db.lookup(ip);
      const result = found === undefined ? null : describe(ip, found.data as Fields, options.language, keep);
      if (options.cache_size > 0) {
        if (cache.size >= options.cache_size) cache.delete(cache.keys().next().value!);
        cache.set(ip, result);
      }
      return result;
    };
    return (event) => {
      let value = event.get(source);
      if (Array.isArray(value)) value = value[0];
      if (value === undefined || value === null) return false;
      const result = typeof value === 'string' ? lookup(value.trim()) : null;
      if (result === null || Object.keys(result).length === 0) {
        for (const tag of tags) event.tag(tag);
        return false;
      }
      event.set(target, structuredClone(result));
      return true;
    };
  },
);

function name(node: unknown, language: string): string | undefined {
  const names = (node as { names?: Record<string, string> } | undefined)?.names;
  return names?.[language] ?? names?.en;
}

/** Maps GeoIP2/GeoLite2 records (and the flat ip-location-db ones) to the classic fields. */
function describe(ip: string, record: Fields, language: string, keep: Set<string> | undefined): Fields {
  const out: Fields = { ip };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  };
  const city = record.city as Fields | undefined;
  const country = (record.country ?? record.registered_country) as Fields | undefined;
  const continent = record.continent as Fields | undefined;
  const subdivision = (record.subdivisions as Fields[] | undefined)?.[0];
  const location = record.location as Fields | undefined;
  set('city_name', name(city, language) ?? (typeof record.city === 'string' ? record.city : undefined));
  set('country_name', name(country, language));
  set('country_code2', country?.iso_code ?? record.country_code);
  set('continent_code', continent?.code);
  set('region_name', name(subdivision, language) ?? record.state1);
  set('region_code', subdivision?.iso_code);
  set('postal_code', (record.postal as Fields | undefined)?.code ?? record.postcode);
  set('timezone', location?.time_zone ?? record.timezone);
  set('dma_code', location?.metro_code);
  const lat = location?.latitude ?? record.latitude;
  const lon = location?.longitude ?? record.longitude;
  if (typeof lat === 'number' && typeof lon === 'number') {
    out.latitude = lat;
    out.longitude = lon;
    out.location = { lat, lon };
  }
  set('asn', record.autonomous_system_number);
  set('as_org', record.autonomous_system_organization);
  if (Object.keys(out).length === 1) return {};
  if (keep === undefined) return out;
  const kept: Fields = {};
  for (const [k, v] of Object.entries(out)) if (keep.has(k)) kept[k] = v;
  return kept;
}
