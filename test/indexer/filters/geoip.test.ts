import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { rmSync } from 'node:fs';
import { buildMmdb } from '../geoip/mmdb-writer.ts';
import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'geoip-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const city = path.join(dir, 'city.mmdb');
writeFileSync(
  city,
  buildMmdb([
    {
      network: '81.2.69.0/24',
      data: {
        city: { names: { en: 'London', de: 'London' } },
        continent: { code: 'EU', names: { en: 'Europe' } },
        country: { iso_code: 'GB', names: { en: 'United Kingdom', de: 'Vereinigtes Königreich' } },
        location: { latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
        postal: { code: 'EC2V' },
        subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
      },
    },
    { network: '2001:db8::/32', data: { country_code: 'NL', city: 'Amsterdam', latitude: 52.37, longitude: 4.89, timezone: 'Europe/Amsterdam' } },
  ]),
);
const asn = path.join(dir, 'asn.mmdb');
writeFileSync(asn, buildMmdb([{ network: '81.2.69.0/24', data: { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' } }], { databaseType: 'GeoLite2-ASN' }));

const london = {
  ip: '81.2.69.160',
  city_name: 'London',
  country_name: 'United Kingdom',
  country_code2: 'GB',
  continent_code: 'EU',
  region_name: 'England',
  region_code: 'ENG',
  postal_code: 'EC2V',
  timezone: 'Europe/London',
  latitude: 51.5142,
  longitude: -0.0931,
  location: { lat: 51.5142, lon: -0.0931 },
};

const cases: FilterCase[] = [
  { name: 'GeoIP2 City record', options: { source: 'clientip', database: city }, input: { clientip: '81.2.69.160' }, expected: { clientip: '81.2.69.160', geoip: london } },
  { name: 'flat ip-location-db record, IPv6, chosen fields, target', options: { source: 'ip', database: city, target: '[client][geo]', fields: ['country_code2', 'city_name', 'location'] }, input: { ip: '2001:db8::1' }, expected: { ip: '2001:db8::1', client: { geo: { country_code2: 'NL', city_name: 'Amsterdam', location: { lat: 52.37, lon: 4.89 } } } } },
  { name: 'other language', options: { source: 'ip', database: city, language: 'de', fields: ['country_name'] }, input: { ip: '81.2.69.1' }, expected: { ip: '81.2.69.1', geoip: { country_name: 'Vereinigtes Königreich' } } },
  { name: 'ASN database', options: { source: 'ip', database: asn }, input: { ip: '81.2.69.1' }, expected: { ip: '81.2.69.1', geoip: { ip: '81.2.69.1', asn: 20712, as_org: 'Andrews & Arnold Ltd' } } },
  { name: 'private address: _geoip_lookup_failure', options: { source: 'ip', database: city, add_tag: ['geo'] }, input: { ip: '10.1.2.3' }, expected: { ip: '10.1.2.3', tags: ['_geoip_lookup_failure'] } },
  { name: 'not an address', options: { source: 'ip', database: city }, input: { ip: 'localhost' }, expected: { ip: 'localhost', tags: ['_geoip_lookup_failure'] } },
  { name: 'missing source: nothing happens', options: { source: 'ip', database: city }, input: {}, expected: {} },
];

runFilterCases('geoip', cases);

const problems: ProblemCase[] = [
  { name: 'no database', options: { source: 'ip' }, path: ['database'], message: 'no GeoIP database ships with loglane' },
  { name: 'unreadable database', options: { source: 'ip', database: path.join(dir, 'missing.mmdb') }, path: ['database'], message: 'a readable MaxMind DB (.mmdb) file' },
  { name: 'not a database', options: { source: 'ip', database: import.meta.filename } , path: ['database'], message: 'no metadata marker' },
];

runProblemCases('geoip', problems);
