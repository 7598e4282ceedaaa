import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { compileGrok } from '../../../src/indexer/grok/compile.ts';
import { builtinLibrary, loadPatternDirs, PatternFileError, parsePatternText } from '../../../src/indexer/grok/library.ts';

/** pattern → [texts it must match whole, texts it must not] */
const table: Record<string, [string[], string[]]> = {
  INT: [['0', '-12', '+7'], ['1.5', 'x']],
  NUMBER: [['3', '-3.25', '.5', '+10'], ['1.', '1e5', 'abc']],
  POSINT: [['1', '42'], ['0', '-1', '01']],
  NONNEGINT: [['0', '42'], ['-1']],
  BASE16NUM: [['0x1F', 'ff', '-0xA'], ['0xZZ']],
  WORD: [['hello', 'a_b1'], ['a b', 'a-b']],
  NOTSPACE: [['a-b/c'], ['a b', '']],
  QS: [['"a \\"b\\" c"', "'it\\'s'", '`x`', '""'], ['"open', '"a" b"']],
  UUID: [['123e4567-e89b-12d3-a456-426614174000'], ['123e4567e89b12d3a456426614174000']],
  MAC: [['00:1a:2B:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'], ['00:1a:2b:3c:4d']],
  IPV4: [['0.0.0.0', '10.1.2.3', '255.255.255.255', '192.168.001.010'], ['256.1.1.1', '1.2.3', '1.2.3.4.5', '1.2.3.4a']],
  IPV6: [
    ['::', '::1', '2001:db8::1', 'fe80::1%eth0', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '::ffff:192.0.2.128', '2001:db8::', '1:2:3:4:5:6:7::', '1::8', '64:ff9b::192.0.2.33'],
    ['1:2:3:4:5:6:7:8:9', '2001:db8:::1', '12345::', ':1', 'g::1', '12:34:56'],
  ],
  IP: [['10.0.0.1', '::1'], ['host']],
  // Hostnames are at most 253 characters and local parts 64 (this bound keeps scans linear).
  HOSTNAME: [['localhost', 'db-1.example.com', 'example.com.', 'a1', `${'a.'.repeat(126)}a`], ['-bad', 'under_score.example', `${'a.'.repeat(130)}a`]],
  IPORHOST: [['10.0.0.1', '2001:db8::2', 'web-01'], ['bad host']],
  HOSTPORT: [['example.com:8080', '10.0.0.1:443'], ['example.com:0', 'example.com']],
  EMAILADDRESS: [['ann.lee+tag@mail.example.org', `${'x'.repeat(64)}@example.com`], ['ann@', '@example.com', `${'x'.repeat(65)}@example.com`]],
  USERNAME: [['deploy', 'j.doe-2'], ['a b']],
  UNIXPATH: [['/var/log/nginx/access.log', '/', '/tmp/a\\ b'], ['relative/path']],
  WINPATH: [['C:\\Windows\\System32\\drivers', '\\\\server\\share'], ['C:/x']],
  URI: [['https://user:pw@example.com:8443/a/b?c=d&e=f', 'http://[::1]', 'ftp://files.example.org/pub/', 'mailto://x'], ['example.com/a']],
  URIPATHPARAM: [['/search?q=grok&lang=en', '/a/b.html'], ['search']],
  MONTH: [['Jan', 'January', 'sep', 'Sept', 'September', 'dec'], ['Janu', 'Mon']],
  MONTHDAY: [['1', '01', '9', '10', '31'], ['32', '0', '00']],
  TIME: [['23:59:59', '4:05:06', '12:00:00.123', '10:11:12,5'], ['24:00:00', '12:60:00', '12:00']],
  TIMESTAMP_ISO8601: [['2024-05-01T12:00:00Z', '2024-05-01 12:00:00,123', '2024-05-01T12:00:00.123456+02:00', '2024-05-01T1200', '2024-05-01T12:00-0700'], ['2024-05-01', '2024/05/01 12:00:00']],
  HTTPDATE: [['17/May/2015:10:05:03 +0000', '1/Jan/2024:00:00:00 -0700'], ['17/05/2015:10:05:03 +0000']],
  SYSLOGTIMESTAMP: [['Mar  7 04:02:16', 'Dec 31 23:59:59'], ['2024-03-07 04:02:16']],
  DATESTAMP: [['05/01/2024 12:00:00', '01.05.2024-12:00:00'], ['2024-05-01 12:00:00']],
  DATESTAMP_RFC2822: [['Wed, 01 May 2024 12:00:00 +0200'], ['Wed 01 May 2024 12:00:00']],
  LOGLEVEL: [['INFO', 'info', 'Information', 'WARN', 'Warning', 'ERROR', 'err', 'CRITICAL', 'debug', 'TRACE', 'FATAL', 'Emergency', 'notice', 'SEVERE', 'alert'], ['VERBOSE', 'LOG']],
  JAVACLASS: [['com.example.App', 'App', 'a.b$Inner'], ['1a.B', 'a..b']],
  JAVAMETHOD: [['run', '<init>', '<clinit>', 'lambda$main$0'], ['1run']],
  JAVASTACKTRACEPART: [['\tat a.B.c(B.java:1)', '  at a.B.c(Unknown Source)', '\tat java.base/java.lang.Thread.run(Thread.java:833)', '\tat com.x.Y$$Lambda$14/0x0000000800066840.run(Unknown Source)'], ['at a.B.c']],
  SYSLOGPROG: [['sshd[123]', 'kernel', 'postfix/smtpd[9]'], ['a b']],
  SYSLOGBASE: [['Mar  7 04:02:16 web-01 sshd[2214]:', 'Mar  7 04:02:16 <13.5> 10.0.0.1 cron:'], ['Mar  7 04:02:16 web-01 sshd[2214]']],
  SYSLOG5424SD: [['[a@1 b="c"]', '[a][b x="y \\] z"]'], ['[a', 'a]']],
  COMMONAPACHELOG: [['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'], ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] GET /apache_pb.gif 200 2326']],
  TTY: [['/dev/pts/0', '/dev/tty1'], ['/dev/sda']],
  URN: [['urn:isbn:0451450523'], ['urn:']],
};

const library = builtinLibrary();

for (const [name, [good, bad]] of Object.entries(table)) {
  for (const engine of ['auto', 'oniguruma-to-es'] as const) {
    test(`pattern ${name} (${engine})`, () => {
      const grok = compileGrok(`^%{${name}}$`, library, { engine });
      if (engine === 'auto') assert.equal(grok.engine, 'native', `${name} should compile to a native regex`);
      for (const text of good) assert.ok(grok.regex.test(text), `${name} should match ${JSON.stringify(text)}`);
      for (const text of bad) assert.ok(!grok.regex.test(text), `${name} should not match ${JSON.stringify(text)}`);
    });
  }
}

test('every built-in pattern compiles to a native regex', () => {
  const names = library.names();
  assert.ok(names.length >= 90, `only ${names.length} patterns`);
  for (const name of names) assert.equal(compileGrok(`%{${name}}`, library).engine, 'native', name);
});

test('the patterns users rely on are all there', () => {
  const required =
    'WORD NOTSPACE DATA GREEDYDATA INT NUMBER BASE10NUM BASE16NUM IP IPV4 IPV6 HOSTNAME IPORHOST HOSTPORT PATH UNIXPATH WINPATH URIPATH URIPARAM URIPATHPARAM URI URIPROTO URIHOST TIMESTAMP_ISO8601 HTTPDATE SYSLOGTIMESTAMP DATESTAMP DATE DATE_US DATE_EU TIME LOGLEVEL QS QUOTEDSTRING UUID MAC EMAILADDRESS USERNAME USER POSINT NONNEGINT SPACE MONTH MONTHDAY MONTHNUM YEAR HOUR MINUTE SECOND DAY TZ PROG SYSLOGPROG SYSLOGHOST SYSLOGFACILITY COMMONAPACHELOG COMBINEDAPACHELOG HTTPD_COMMONLOG HTTPD_COMBINEDLOG HTTPD_ERRORLOG SYSLOGLINE SYSLOGBASE SYSLOGBASE2 SYSLOG5424LINE SYSLOG5424BASE CRONLOG JAVASTACKTRACEPART JAVACLASS JAVAFILE JAVAMETHOD JAVALOGMESSAGE TOMCATLOG CATALINALOG'.split(
      ' ',
    );
  for (const name of required) assert.ok(library.has(name), name);
});

test('pattern files: format, errors, patterns_dir with a glob', () => {
  assert.deepEqual(
    [...parsePatternText('# comment\n\nA [a-z]+\nB_2   %{A}-x  \n', 'f')],
    [
      ['A', '[a-z]+'],
      ['B_2', '%{A}-x'],
    ],
  );
  assert.throws(() => parsePatternText('ONLYNAME\n', 'f'), (e: unknown) => e instanceof PatternFileError && e.line === 1);
  assert.throws(() => parsePatternText('A x\nBAD-NAME y\n', 'f'), (e: unknown) => e instanceof PatternFileError && e.line === 2);
  const dir = mkdtempSync(path.join(tmpdir(), 'grok-'));
  try {
    writeFileSync(path.join(dir, 'one.pat'), 'FOO foo\n');
    writeFileSync(path.join(dir, 'two.pat'), 'FOO bar\nBAZ baz\n');
    writeFileSync(path.join(dir, 'skip.txt'), 'QUX qux\n');
    const patterns = loadPatternDirs([dir], '*.pat');
    assert.deepEqual(Object.fromEntries(patterns), { FOO: 'bar', BAZ: 'baz' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
