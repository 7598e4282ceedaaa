import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const TS = '2000-01-01T00:00:00.000Z';

/** Shorthand: the date filter reading `value` with `formats` (and options) into @timestamp. */
function reads(name: string, value: unknown, formats: string[], expected: string, options: Record<string, unknown> = {}): FilterCase {
  return { name, options: { match: ['when', ...formats], ...options }, input: { '@timestamp': TS, when: value }, expected: { '@timestamp': expected, when: value } };
}

function fails(name: string, value: unknown, formats: string[], options: Record<string, unknown> = {}): FilterCase {
  return { name, options: { match: ['when', ...formats], ...options }, input: { '@timestamp': TS, when: value }, expected: { '@timestamp': TS, when: value, tags: ['_dateparsefailure'] } };
}

const cases: FilterCase[] = [
  reads('Apache access log time with offset', '17/May/2015:10:05:03 +0000', ['dd/MMM/yyyy:HH:mm:ss Z'], '2015-05-17T10:05:03.000Z'),
  reads('negative offset', '10/Oct/2023:13:55:36 -0700', ['dd/MMM/yyyy:HH:mm:ss Z'], '2023-10-10T20:55:36.000Z'),
  reads('offset with a colon (ZZ)', '2024-05-01 12:00:00 +02:00', ['yyyy-MM-dd HH:mm:ss ZZ'], '2024-05-01T10:00:00.000Z'),
  reads('zone id (ZZZ)', '2024-01-15 08:00:00 America/New_York', ['yyyy-MM-dd HH:mm:ss ZZZ'], '2024-01-15T13:00:00.000Z'),
  reads('ISO8601 with Z', '2024-05-01T12:00:00.123Z', ['ISO8601'], '2024-05-01T12:00:00.123Z'),
  reads('ISO8601 with offset and microseconds', '2024-05-01T12:00:00.123456+02:00', ['ISO8601'], '2024-05-01T10:00:00.123Z'),
  reads('ISO8601 with a space and a comma fraction, in the timezone option', '2024-05-01 12:00:00,5', ['ISO8601'], '2024-05-01T10:00:00.500Z', { timezone: 'Europe/Paris' }),
  reads('ISO8601 date only', '2024-05-01', ['ISO8601'], '2024-05-01T00:00:00.000Z', { timezone: 'UTC' }),
  reads('UNIX seconds as text, with a fraction', '1714564800.25', ['UNIX'], '2024-05-01T12:00:00.250Z'),
  reads('UNIX seconds as a number', 1714564800, ['UNIX'], '2024-05-01T12:00:00.000Z'),
  reads('UNIX_MS', '1714564800123', ['UNIX_MS'], '2024-05-01T12:00:00.123Z'),
  reads('UNIX_MS as a number', 1714564800123, ['UNIX_MS'], '2024-05-01T12:00:00.123Z'),
  reads('TAI64N', '@4000000066322ecd1dcd6500', ['TAI64N'], '2024-05-01T12:00:03.500Z'),
  reads('the first format that reads wins', '2024-05-01 12:00:00', ['dd/MMM/yyyy:HH:mm:ss Z', 'yyyy-MM-dd HH:mm:ss'], '2024-05-01T12:00:00.000Z', { timezone: 'UTC' }),
  reads('fraction SSS', '2024-05-01 12:00:00,042', ['yyyy-MM-dd HH:mm:ss,SSS'], '2024-05-01T12:00:00.042Z', { timezone: 'UTC' }),
  reads('adjacent numbers (yyyyMMddHHmmss)', '20240501120005', ['yyyyMMddHHmmss'], '2024-05-01T12:00:05.000Z', { timezone: 'UTC' }),
  reads('12-hour clock with AM/PM', 'May 1, 2024 3:04:05 PM', ['MMM d, yyyy h:mm:ss a'], '2024-05-01T15:04:05.000Z', { timezone: 'UTC' }),
  reads('12 AM is midnight', '01/05/2024 12:30 AM', ['dd/MM/yyyy hh:mm a'], '2024-05-01T00:30:00.000Z', { timezone: 'UTC' }),
  reads('day and month names, case-insensitive', 'wed, 01 MAY 2024 12:00:00 GMT', ['EEE, dd MMM yyyy HH:mm:ss z'], '2024-05-01T12:00:00.000Z'),
  reads('quoted literal T', '2024-05-01T12:00:00', ["yyyy-MM-dd'T'HH:mm:ss"], '2024-05-01T12:00:00.000Z', { timezone: 'UTC' }),
  reads('two-digit year', '01/05/24 10:00', ['dd/MM/yy HH:mm'], '2024-05-01T10:00:00.000Z', { timezone: 'UTC' }),
  reads('syslog date without a year takes the current year', 'Mar  7 04:02:16', ['MMM  d HH:mm:ss', 'MMM dd HH:mm:ss'], '2024-03-07T04:02:16.000Z', { timezone: 'UTC' }),
  reads('timezone as a fixed offset', '2024-05-01 12:00:00', ['yyyy-MM-dd HH:mm:ss'], '2024-05-01T17:00:00.000Z', { timezone: '-05:00' }),
  reads('timezone across a DST change (summer)', '2024-07-01 12:00:00', ['yyyy-MM-dd HH:mm:ss'], '2024-07-01T10:00:00.000Z', { timezone: 'Europe/Berlin' }),
  reads('timezone across a DST change (winter)', '2024-01-01 12:00:00', ['yyyy-MM-dd HH:mm:ss'], '2024-01-01T11:00:00.000Z', { timezone: 'Europe/Berlin' }),
  reads('a list value uses its first item', ['2024-05-01T00:00:00Z', 'x'], ['ISO8601'], '2024-05-01T00:00:00.000Z'),
  reads('locale en is accepted', '01 Feb 2024', ['dd MMM yyyy'], '2024-02-01T00:00:00.000Z', { timezone: 'UTC', locale: 'en-US' }),
  {
    name: 'another target, with common options on success',
    options: { match: ['when', 'ISO8601'], target: '[event][created]', add_tag: ['dated'], remove_field: ['when'] },
    input: { '@timestamp': TS, when: '2024-05-01T00:00:00Z' },
    expected: { '@timestamp': TS, event: { created: '2024-05-01T00:00:00.000Z' }, tags: ['dated'] },
  },
  fails('text that no format reads', 'yesterday', ['ISO8601', 'dd/MMM/yyyy:HH:mm:ss Z']),
  fails('February 30th', '2024-02-30 00:00:00', ['yyyy-MM-dd HH:mm:ss']),
  fails('hour 24', '2024-02-01 24:00:00', ['yyyy-MM-dd HH:mm:ss']),
  fails('trailing text', '2024-05-01 12:00:00 extra', ['yyyy-MM-dd HH:mm:ss']),
  fails('UNIX with garbage', '12abc', ['UNIX']),
  fails('unknown zone abbreviation', '2024-05-01 12:00:00 XYZ', ['yyyy-MM-dd HH:mm:ss z']),
  {
    name: 'missing field tags a failure (custom tag)',
    options: { match: ['when', 'ISO8601'], tag_on_failure: 'no_date' },
    input: { '@timestamp': TS },
    expected: { '@timestamp': TS, tags: ['no_date'] },
  },
];

runFilterCases('date', cases);

// December logs read in early January belong to the previous year, and vice versa.
runFilterCases('date', [reads('December date read in January: previous year', 'Dec 31 23:59:59', ['MMM dd HH:mm:ss'], '2023-12-31T23:59:59.000Z', { timezone: 'UTC' })], { now: () => Date.UTC(2024, 0, 1, 0, 5) });
runFilterCases('date', [reads('January date read in December: next year', 'Jan  1 00:00:01', ['MMM  d HH:mm:ss'], '2025-01-01T00:00:01.000Z', { timezone: 'UTC' })], { now: () => Date.UTC(2024, 11, 31, 23, 59) });

const problems: ProblemCase[] = [
  { name: 'match without a format', options: { match: ['when'] }, path: ['match'], message: 'a field followed by at least one format' },
  { name: 'unknown pattern letter', options: { match: ['when', 'yyyy-MM-dd qq'] }, path: ['match', 1], message: 'unsupported pattern letter "q"', column: 12 },
  { name: 'unclosed quote', options: { match: ['when', 'ISO8601', "yyyy'T"] }, path: ['match', 2], message: 'unclosed quote' },
  { name: 'unknown time zone', options: { match: ['when', 'ISO8601'], timezone: 'Mars/Olympus' }, path: ['timezone'], message: 'a time zone' },
  { name: 'non-English locale', options: { match: ['when', 'ISO8601'], locale: 'fr' }, path: ['locale'], message: 'an English locale' },
  { name: 'bad field reference', options: { match: ['a[b]', 'ISO8601'] }, path: ['match', 0], message: 'a field reference' },
];

runProblemCases('date', problems);
