import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MmdbFormatError, MmdbReader } from '../../../src/indexer/geoip/mmdb.ts';
import { buildMmdb, type MmdbEntry } from './mmdb-writer.ts';

/** The record found for an address (fails the test when there is none). */
function dataOf(db: MmdbReader, ip: string): Record<string, Record<string, unknown>> {
  const found = db.lookup(ip);
  assert.ok(found, `no record for ${ip}`);
  return found.data as Record<string, Record<string, unknown>>;
}

const entries: MmdbEntry[] = [
  { network: '81.2.69.0/24', data: { city: { names: { en: 'London' } }, country: { iso_code: 'GB', names: { en: 'United Kingdom' } }, location: { latitude: 51.5142, longitude: -0.0931 } } },
  { network: '81.2.70.0/23', data: { city: { names: { en: 'Londonderry' } }, country: { iso_code: 'GB', names: { en: 'United Kingdom' } } } },
  { network: '2001:db8:1::/48', data: { country: { iso_code: 'NL', names: { en: 'Netherlands' } }, flags: [true, false], n: 70_000, neg: -5, big: 2n ** 60n, f: 1.5 } },
];

for (const recordSize of [24, 28, 32] as const) {
  test(`mmdb lookups in an IPv6 tree with ${recordSize}-bit records`, () => {
    const db = new MmdbReader(buildMmdb(entries, { recordSize }));
    assert.equal(db.metadata.record_size, recordSize);
    assert.equal(db.metadata.database_type, 'Test-City');
    const london = db.lookup('81.2.69.160');
    assert.deepEqual(london, { data: entries[0]!.data, prefixLength: 24 });
    assert.deepEqual(dataOf(db, '81.2.71.1').city, { names: { en: 'Londonderry' } });
    assert.deepEqual(db.lookup('2001:db8:1:2::7')?.data, entries[2]!.data);
    assert.equal(db.lookup('2001:db8:2::1'), undefined);
    assert.equal(db.lookup('10.0.0.1'), undefined);
    assert.equal(db.lookup('not an ip'), undefined);
  });
}

test('mmdb IPv4-only tree', () => {
  const db = new MmdbReader(buildMmdb(entries.slice(0, 2), { ipVersion: 4, recordSize: 24 }));
  assert.equal(dataOf(db, '81.2.69.1').country!.iso_code, 'GB');
  assert.equal(db.lookup('81.2.69.1')?.prefixLength, 24);
  assert.equal(db.lookup('2001:db8:1::1'), undefined);
});

test('mmdb embedded IPv4 in IPv6 notation', () => {
  const db = new MmdbReader(buildMmdb(entries));
  assert.equal(dataOf(db, '::81.2.69.160').country!.iso_code, 'GB');
});

test('mmdb rejects files that are not MaxMind DBs', () => {
  assert.throws(() => new MmdbReader(Buffer.from('hello')), MmdbFormatError);
  assert.throws(() => new MmdbReader(Buffer.concat([Buffer.alloc(4), Buffer.from('garbage')])), MmdbFormatError);
});
