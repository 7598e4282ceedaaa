import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSyslog } from '../../../../src/shipper/inputs/syslog/parse.ts';

const NOW = new Date('2024-03-10T00:00:00Z');

test('RFC 5424 with structured data, nil values and BOM', () => {
  const r = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\"ication"][ex@1 a="b"] \uFEFFAn application event', 'auto', NOW);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.fields['@timestamp'], '2003-10-11T22:14:15.003Z');
  assert.equal(r.fields.message, 'An application event');
  assert.deepEqual((r.fields.log as { syslog: unknown }).syslog, {
    priority: 165,
    facility: { code: 20, name: 'local4' },
    severity: { code: 5, name: 'notice' },
    version: 1,
    hostname: 'mymachine.example.com',
    appname: 'evntslog',
    msgid: 'ID47',
    structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Appl"ication' }, 'ex@1': { a: 'b' } },
  });
});

test('RFC 5424 without structured data or message', () => {
  const r = parseSyslog('<34>1 2003-10-11T22:14:15.003+02:00 host su 123 - -', 'rfc5424', NOW);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.fields['@timestamp'], '2003-10-11T20:14:15.003Z');
  assert.equal(r.fields.message, '');
  assert.equal((r.fields.log as { syslog: { procid: string } }).syslog.procid, '123');
});

test('RFC 3164 with host, tag and pid; the year is the current one', () => {
  const r = parseSyslog('<34>Oct  5 22:14:15 mymachine su[42]: \'su root\' failed for lonvick on /dev/pts/8', 'auto', new Date('2024-11-01T00:00:00Z'));
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.fields['@timestamp'], '2024-10-05T22:14:15.000Z');
  assert.equal(r.fields.message, "'su root' failed for lonvick on /dev/pts/8");
  const s = (r.fields.log as { syslog: Record<string, unknown> }).syslog;
  assert.equal(s.hostname, 'mymachine');
  assert.equal(s.appname, 'su');
  assert.equal(s.procid, '42');
  assert.deepEqual(s.severity, { code: 2, name: 'critical' });
  // December read in January: last year.
  const dec = parseSyslog('<13>Dec 31 23:59:59 h app: x', 'auto', new Date('2025-01-01T00:00:10Z'));
  assert.ok(dec.ok && dec.fields['@timestamp'] === '2024-12-31T23:59:59.000Z');
});

test('invalid messages give a reason', () => {
  for (const [text, format] of [
    ['no pri at all', 'auto'],
    ['<999>1 - - - - - -', 'auto'],
    ['<13>Oct  5 22:14:15 h x', 'rfc5424'],
    ['<13>1 notadate h a p m - x', 'auto'],
    ['<13>1 - h a p m [broken', 'auto'],
  ] as const) {
    const r = parseSyslog(text, format, NOW);
    assert.equal(r.ok, false, text);
  }
});
