import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const COMBINED = '%{COMBINEDAPACHELOG}';
const apache1 =
  '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"';
const apache2 = '2001:db8::7a3c frank@example.com alice [10/Oct/2023:13:55:36 -0700] "POST /api/v1/orders?id=42&dry_run=true HTTP/2.0" 503 - "-" "curl/8.4.0"';
const apache3 = 'gw-01.internal.example.org - - [01/Jan/2024:00:00:01 +0100] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 226 "-" "-"';
const syslog1 = 'Mar  7 04:02:16 web-01 sshd[2214]: Accepted publickey for deploy from 10.0.0.5 port 52122 ssh2: RSA SHA256:abc';
const syslog2 = 'Dec 31 23:59:59 10.1.2.3 CRON[991]: (root) CMD (run-parts /etc/cron.hourly)';
const syslog3 = '2024-03-07T04:02:16.123+00:00 db-2 kernel: [12345.678] Out of memory: Killed process 4242 (postgres)';
const syslog5424 =
  '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event log entry';
const javaTrace = [
  'java.lang.IllegalStateException: order 42 has no lines',
  '\tat com.example.shop.OrderService.place(OrderService.java:118)',
  '\tat com.example.shop.OrderController.lambda$create$0(OrderController.java:57)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  '\tat java.base/java.lang.Thread.run(Thread.java:833)',
].join('\n');

const cases: FilterCase[] = [
  {
    name: 'Apache combined log, IPv4 client',
    options: { match: { message: COMBINED } },
    input: { message: apache1 },
    expected: {
      message: apache1,
      clientip: '83.149.9.216',
      ident: '-',
      auth: '-',
      timestamp: '17/May/2015:10:05:03 +0000',
      verb: 'GET',
      request: '/presentations/logstash-monitorama-2013/images/kibana-search.png',
      httpversion: '1.1',
      response: '200',
      bytes: '203023',
      referrer: '"http://semicomplete.com/presentations/logstash-monitorama-2013/"',
      agent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"',
    },
  },
  {
    name: 'Apache combined log, IPv6 client, e-mail ident, no bytes',
    options: { match: { message: COMBINED } },
    input: { message: apache2 },
    expected: {
      message: apache2,
      clientip: '2001:db8::7a3c',
      ident: 'frank@example.com',
      auth: 'alice',
      timestamp: '10/Oct/2023:13:55:36 -0700',
      verb: 'POST',
      request: '/api/v1/orders?id=42&dry_run=true',
      httpversion: '2.0',
      response: '503',
      referrer: '"-"',
      agent: '"curl/8.4.0"',
    },
  },
  {
    name: 'Apache combined log, hostname client and a garbage request line (rawrequest)',
    options: { match: { message: COMBINED } },
    input: { message: apache3 },
    expected: {
      message: apache3,
      clientip: 'gw-01.internal.example.org',
      ident: '-',
      auth: '-',
      timestamp: '01/Jan/2024:00:00:01 +0100',
      rawrequest: '\\x16\\x03\\x01\\x02\\x00\\x01',
      response: '400',
      bytes: '226',
      referrer: '"-"',
      agent: '"-"',
    },
  },
  {
    name: 'Apache common log with typed captures into nested fields',
    options: { match: { message: '%{IPORHOST:[source][address]} %{HTTPDUSER} %{HTTPDUSER} \\[%{HTTPDATE}\\] "%{WORD:[http][method]} %{NOTSPACE:[url][original]} HTTP/%{NUMBER:[http][version]}" %{INT:[http][status]:int} %{INT:[http][bytes]:int}' } },
    input: { message: '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "GET /a HTTP/1.0" 404 12' },
    expected: {
      message: '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "GET /a HTTP/1.0" 404 12',
      source: { address: '10.0.0.1' },
      http: { method: 'GET', version: '1.0', status: 404, bytes: 12 },
      url: { original: '/a' },
    },
  },
  {
    name: 'syslog RFC 3164: SYSLOGLINE turns message into a list (Logstash behaviour)',
    options: { match: { message: '%{SYSLOGLINE}' } },
    input: { message: syslog1 },
    expected: {
      message: [syslog1, 'Accepted publickey for deploy from 10.0.0.5 port 52122 ssh2: RSA SHA256:abc'],
      timestamp: 'Mar  7 04:02:16',
      logsource: 'web-01',
      program: 'sshd',
      pid: '2214',
    },
  },
  {
    name: 'syslog RFC 3164 with overwrite of message',
    options: { match: { message: '%{SYSLOGLINE}' }, overwrite: ['message'] },
    input: { message: syslog1 },
    expected: {
      message: 'Accepted publickey for deploy from 10.0.0.5 port 52122 ssh2: RSA SHA256:abc',
      timestamp: 'Mar  7 04:02:16',
      logsource: 'web-01',
      program: 'sshd',
      pid: '2214',
    },
  },
  {
    name: 'syslog: SYSLOGBASE and CRON with an IP host',
    options: { match: { message: '%{SYSLOGBASE} \\(%{USER:user}\\) %{CRON_ACTION:action} \\(%{DATA:command}\\)' } },
    input: { message: syslog2 },
    expected: { message: syslog2, timestamp: 'Dec 31 23:59:59', logsource: '10.1.2.3', program: 'CRON', pid: '991', user: 'root', action: 'CMD', command: 'run-parts /etc/cron.hourly' },
  },
  {
    name: 'syslog with an ISO 8601 timestamp (rsyslog high precision)',
    options: { match: { message: '%{SYSLOGLINE}' }, overwrite: ['message'] },
    input: { message: syslog3 },
    expected: { message: '[12345.678] Out of memory: Killed process 4242 (postgres)', timestamp8601: '2024-03-07T04:02:16.123+00:00', logsource: 'db-2', program: 'kernel' },
  },
  {
    name: 'syslog RFC 5424 with two structured-data elements',
    options: { match: { message: '%{SYSLOG5424LINE}' } },
    input: { message: syslog5424 },
    expected: {
      message: syslog5424,
      syslog5424_pri: '165',
      syslog5424_ver: '1',
      syslog5424_ts: '2003-10-11T22:14:15.003Z',
      syslog5424_host: 'mymachine.example.com',
      syslog5424_app: 'evntslog',
      syslog5424_msgid: 'ID47',
      syslog5424_sd: '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
      syslog5424_msg: 'An application event log entry',
    },
  },
  {
    name: 'Java stack trace: exception line and first frame of a multi-line event',
    options: { match: { message: '^%{JAVACLASS:exception}: %{DATA:reason}$\\n%{JAVASTACKTRACEPART}' } },
    input: { message: javaTrace },
    expected: { message: javaTrace, exception: 'java.lang.IllegalStateException', reason: 'order 42 has no lines', class: 'com.example.shop.OrderService', method: 'place', file: 'OrderService.java', line: '118' },
  },
  {
    name: 'Java stack frame of a lambda',
    options: { match: { message: '%{JAVASTACKTRACEPART}' } },
    input: { message: '\tat com.example.shop.OrderController.lambda$create$0(OrderController.java:57)' },
    expected: { message: '\tat com.example.shop.OrderController.lambda$create$0(OrderController.java:57)', class: 'com.example.shop.OrderController', method: 'lambda$create$0', file: 'OrderController.java', line: '57' },
  },
  {
    name: 'Java 9+ stack frame with a module prefix',
    options: { match: { message: '%{JAVASTACKTRACEPART}' } },
    input: { message: '\tat java.base/java.lang.Thread.run(Thread.java:833)' },
    expected: { message: '\tat java.base/java.lang.Thread.run(Thread.java:833)', class: 'java.lang.Thread', method: 'run', file: 'Thread.java', line: '833' },
  },
  {
    name: 'Java stack frames: constructor, Native Method, app class loader',
    options: { match: { message: '%{JAVASTACKTRACEPART}' }, break_on_match: true },
    input: { message: ['    at app//org.acme.Repo.<init>(Repo.java:9)', '\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)'] },
    expected: {
      message: ['    at app//org.acme.Repo.<init>(Repo.java:9)', '\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)'],
      class: ['org.acme.Repo', 'jdk.internal.reflect.NativeMethodAccessorImpl'],
      method: ['<init>', 'invoke0'],
      file: ['Repo.java', 'Native Method'],
      line: '9',
    },
  },
  {
    name: 'application log line: ISO timestamp, level, thread, logger',
    options: { match: { message: '%{TIMESTAMP_ISO8601:ts} +%{LOGLEVEL:level} +\\[%{DATA:thread}\\] %{JAVACLASS:logger} - %{GREEDYDATA:msg}' } },
    input: { message: '2024-05-01 12:00:00,123 ERROR [http-nio-8080-exec-3] com.example.App - payment declined' },
    expected: { message: '2024-05-01 12:00:00,123 ERROR [http-nio-8080-exec-3] com.example.App - payment declined', ts: '2024-05-01 12:00:00,123', level: 'ERROR', thread: 'http-nio-8080-exec-3', logger: 'com.example.App', msg: 'payment declined' },
  },
  {
    name: 'Apache 2.4 error log',
    options: { match: { message: '%{HTTPD_ERRORLOG}' }, overwrite: ['message'] },
    input: { message: '[Wed Oct 11 14:32:52 2023] [proxy:error] [pid 24133:tid 140] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed' },
    expected: {
      message: 'HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed',
      timestamp: 'Wed Oct 11 14:32:52 2023',
      module: 'proxy',
      loglevel: 'error',
      pid: '24133',
      tid: '140',
      proxy_errorcode: '111',
      proxy_message: 'Connection refused',
      errorcode: 'AH00957',
    },
  },
  {
    name: 'typed captures: int and float',
    options: { match: { message: 'took %{NUMBER:duration:float}s, %{INT:rows:int} rows' } },
    input: { message: 'took 0.25s, 1200 rows' },
    expected: { message: 'took 0.25s, 1200 rows', duration: 0.25, rows: 1200 },
  },
  {
    name: 'pattern_definitions and an inline named capture',
    options: { match: { message: '%{SYSLOGBASE} (?<queue_id>[0-9A-F]{10,11}): %{POSTFIX_REST:rest}' }, pattern_definitions: { POSTFIX_REST: 'to=<%{EMAILADDRESS:to}>.*' } },
    input: { message: 'Jan  5 10:00:00 mx1 postfix/smtp[77]: 3F2A41C0D9: to=<bob@example.org>, relay=none' },
    expected: {
      message: 'Jan  5 10:00:00 mx1 postfix/smtp[77]: 3F2A41C0D9: to=<bob@example.org>, relay=none',
      timestamp: 'Jan  5 10:00:00',
      logsource: 'mx1',
      program: 'postfix/smtp',
      pid: '77',
      queue_id: '3F2A41C0D9',
      to: 'bob@example.org',
      rest: 'to=<bob@example.org>, relay=none',
    },
  },
  {
    name: 'several patterns: the first that matches wins',
    options: { match: { message: ['^%{IP:ip}$', '^%{HOSTNAME:host}$'] } },
    input: { message: 'db.example.com' },
    expected: { message: 'db.example.com', host: 'db.example.com' },
  },
  {
    name: 'break_on_match false applies every matching pattern',
    options: { match: { message: ['user=%{WORD:user}', 'ip=%{IP:ip}'] }, break_on_match: false },
    input: { message: 'login ip=10.0.0.9 user=ann' },
    expected: { message: 'login ip=10.0.0.9 user=ann', user: 'ann', ip: '10.0.0.9' },
  },
  {
    name: 'named_captures_only false captures unnamed patterns under their name',
    options: { match: { message: '%{WORD} %{INT:n}' }, named_captures_only: false },
    input: { message: 'count 7' },
    expected: { message: 'count 7', WORD: 'count', n: '7' },
  },
  {
    name: 'empty captures are skipped unless keep_empty_captures',
    options: { match: { message: 'a=%{DATA:a};b=%{DATA:b};' }, keep_empty_captures: true },
    input: { message: 'a=;b=x;' },
    expected: { message: 'a=;b=x;', a: '', b: 'x' },
  },
  {
    name: 'target puts every capture under one field',
    options: { match: { message: '%{WORD:verb} %{URIPATH:path}' }, target: '[http]' },
    input: { message: 'GET /index.html' },
    expected: { message: 'GET /index.html', http: { verb: 'GET', path: '/index.html' } },
  },
  {
    name: 'Oniguruma-only syntax (possessive quantifier, Unicode property) via oniguruma-to-es',
    options: { match: { message: '^(?<word>\\p{L}++) %{INT:n}$' } },
    input: { message: 'Grüße 5' },
    expected: { message: 'Grüße 5', word: 'Grüße', n: '5' },
  },
  {
    name: 'common options apply on success',
    options: { match: { message: '%{INT:n}' }, add_tag: ['parsed_%{n}'], add_field: { kind: 'number' }, remove_field: ['message'] },
    input: { message: 'n=3' },
    expected: { n: '3', kind: 'number', tags: ['parsed_3'] },
  },
  {
    name: 'no match: _grokparsefailure and no common options',
    options: { match: { message: COMBINED }, add_tag: ['parsed'] },
    input: { message: 'not an access log' },
    expected: { message: 'not an access log', tags: ['_grokparsefailure'] },
  },
  {
    name: 'missing source field counts as no match; custom failure tags',
    options: { match: { message: '%{INT:n}' }, tag_on_failure: ['no_number', 'grok_failed'] },
    input: { other: 'x', tags: ['existing'] },
    expected: { other: 'x', tags: ['existing', 'no_number', 'grok_failed'] },
  },
  {
    name: 'a number in the source field is matched as text',
    options: { match: { code: '^%{INT:status:int}$' } },
    input: { code: 404 },
    expected: { code: 404, status: 404 },
  },
];

runFilterCases('grok', cases);

const problems: ProblemCase[] = [
  { name: 'unknown pattern with a suggestion and its column', options: { match: { message: '%{IP:ip} %{COMBINEDAPACHELOGG}' } }, path: ['match', 'message'], message: 'unknown grok pattern COMBINEDAPACHELOGG; did you mean COMBINEDAPACHELOG?', column: 10 },
  { name: 'lower-case pattern name', options: { match: { message: '%{ipv4:ip}' } }, path: ['match', 'message'], message: 'did you mean IPV4?' },
  { name: 'unknown pattern inside a definition', options: { match: { message: '%{MINE}' }, pattern_definitions: { MINE: '%{NOPE}' } }, path: ['match', 'message'], message: 'unknown grok pattern NOPE (in pattern MINE)' },
  { name: 'second pattern of a list', options: { match: { message: ['%{INT:n}', '%{BAD}'] } }, path: ['match', 'message', 1], message: 'unknown grok pattern BAD' },
  { name: 'unknown capture type', options: { match: { message: '%{INT:n:long}' } }, path: ['match', 'message'], message: 'unknown capture type "long"' },
  { name: 'bad field reference', options: { match: { message: '%{INT:a[b]}' } }, path: ['match', 'message'], message: 'invalid field reference' },
  { name: 'invalid regex', options: { match: { message: '%{INT:n} (unclosed' } }, path: ['match', 'message'], message: 'invalid regular expression' },
  { name: 'recursive definitions', options: { match: { message: '%{A}' }, pattern_definitions: { A: 'x%{B}', B: '%{A}' } }, path: ['match', 'message'], message: 'refers to itself (A → B → A)' },
  { name: 'ECS mode is not implemented', options: { match: { message: '%{INT:n}' }, ecs_compatibility: 'v8' }, path: ['ecs_compatibility'], message: 'only the classic field names' },
  { name: 'unknown option', options: { match: { message: '%{INT:n}' }, overwrites: ['n'] }, path: ['overwrites'], message: 'did you mean "overwrite"?' },
  { name: 'missing match', options: {}, path: ['match'], message: 'a mapping' },
];

runProblemCases('grok', problems);
