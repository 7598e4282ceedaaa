import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const syslog = 'Mar 16 00:01:25 evita postfix/smtpd[1713]: connect from camomile.example.com[1.2.3.4]';

const cases: FilterCase[] = [
  {
    name: 'syslog line with appends, a skip and the rest',
    options: { mapping: { message: '%{ts} %{+ts} %{+ts} %{src} %{} %{prog}[%{pid}]: %{msg}' } },
    input: { message: 'Mar 16 00:01:25 evita sc postfix/smtpd[1713]: connect from camomile.example.com[1.2.3.4]' },
    expected: { message: 'Mar 16 00:01:25 evita sc postfix/smtpd[1713]: connect from camomile.example.com[1.2.3.4]', ts: 'Mar 16 00:01:25', src: 'evita', prog: 'postfix/smtpd', pid: '1713', msg: 'connect from camomile.example.com[1.2.3.4]' },
  },
  {
    name: 'access log into nested fields with conversion',
    options: { mapping: { message: '%{[client][ip]} %{?ident} %{?auth} [%{@ts}] "%{[http][verb]} %{[url][path]} HTTP/%{[http][version]}" %{[http][status]} %{[http][bytes]}' }, convert_datatype: { '[http][status]': 'int', '[http][version]': 'float' } },
    input: { message: '1.2.3.4 - - [30/Apr/1998:22:00:52 +0000] "GET /english/index.html HTTP/1.0" 200 3171' },
    expected: { message: '1.2.3.4 - - [30/Apr/1998:22:00:52 +0000] "GET /english/index.html HTTP/1.0" 200 3171', client: { ip: '1.2.3.4' }, '@ts': '30/Apr/1998:22:00:52 +0000', http: { verb: 'GET', version: 1, status: 200, bytes: '3171' }, url: { path: '/english/index.html' } },
  },
  { name: 'append order with ordinals', options: { mapping: { message: '%{+a/2} %{+a/1} %{+a/4} %{+a/3}' } }, input: { message: '1 2 3 go' }, expected: { message: '1 2 3 go', a: '2 1 go 3' } },
  { name: 'append without ordinals follows the pattern; the last field takes the rest', options: { mapping: { message: '%{a} %{b} %{+a}' } }, input: { message: '1 2 3 go' }, expected: { message: '1 2 3 go', a: '1 3 go', b: '2' } },
  { name: 'append joins with the delimiter before it', options: { mapping: { message: '%{d}-%{+d}-%{+d}T%{t}' } }, input: { message: '2024-05-01T10:00' }, expected: { message: '2024-05-01T10:00', d: '2024-05-01', t: '10:00' } },
  { name: 'indirect field from a named skip', options: { mapping: { message: 'error: %{?err}, %{&err}' } }, input: { message: 'error: disk_full, no space left' }, expected: { message: 'error: disk_full, no space left', disk_full: 'no space left' } },
  { name: 'key/value indirect', options: { mapping: { message: '%{?a}: %{&a}' } }, input: { message: 'google: 77.98' }, expected: { message: 'google: 77.98', google: '77.98' } },
  { name: 'empty fields between consecutive delimiters', options: { mapping: { line: '%{name},%{addr1},%{addr2},%{addr3},%{city},%{zip}' } }, input: { line: 'Jane Doe,4321 Fifth Avenue,,,New York,87432' }, expected: { line: 'Jane Doe,4321 Fifth Avenue,,,New York,87432', name: 'Jane Doe', addr1: '4321 Fifth Avenue', addr2: '', addr3: '', city: 'New York', zip: '87432' } },
  { name: 'right padding (->) skips repeated delimiters', options: { mapping: { message: '%{id} %{function->} %{server}' } }, input: { message: '00000043 ViewReceive     machine-321' }, expected: { message: '00000043 ViewReceive     machine-321', id: '00000043', function: 'ViewReceive', server: 'machine-321' } },
  { name: 'leading and trailing delimiters', options: { mapping: { message: '[%{level}] %{msg}.' } }, input: { message: '[WARN] disk at 91%. ok' }, expected: { message: '[WARN] disk at 91%. ok', level: 'WARN', msg: 'disk at 91%' } },
  { name: 'two mappings, the second dissecting a result of the first', options: { mapping: { message: '%{head}|%{rest}', rest: '%{a}/%{b}' } }, input: { message: 'h|x/y' }, expected: { message: 'h|x/y', head: 'h', rest: 'x/y', a: 'x', b: 'y' } },
  { name: 'a missing delimiter fails and writes nothing', options: { mapping: { message: '%{a} - %{b} - %{c}' }, add_tag: ['ok'] }, input: { message: 'x - y' }, expected: { message: 'x - y', tags: ['_dissectfailure'] } },
  { name: 'a wrong leading delimiter fails', options: { mapping: { message: '<%{pri}>%{rest}' } }, input: { message: 'no pri' }, expected: { message: 'no pri', tags: ['_dissectfailure'] } },
  { name: 'a missing source field fails', options: { mapping: { message: '%{a} %{b}' }, tag_on_failure: ['nodissect'] }, input: {}, expected: { tags: ['nodissect'] } },
  { name: 'convert_datatype alone', options: { convert_datatype: { cpu: 'float', code: 'int' } }, input: { cpu: '0.75', code: '12x' }, expected: { cpu: 0.75, code: 12 } },
  { name: 'syslog sample from the header', options: { mapping: { message: '%{ts} %{+ts} %{+ts} %{src} %{prog}[%{pid}]: %{msg}' } }, input: { message: syslog }, expected: { message: syslog, ts: 'Mar 16 00:01:25', src: 'evita', prog: 'postfix/smtpd', pid: '1713', msg: 'connect from camomile.example.com[1.2.3.4]' } },
];

runFilterCases('dissect', cases);

const problems: ProblemCase[] = [
  { name: 'two fields without a delimiter', options: { mapping: { message: '%{a}%{b}' } }, path: ['mapping', 'message'], message: 'a delimiter between two fields', column: 5 },
  { name: 'unclosed field', options: { mapping: { message: '%{a} %{b' } }, path: ['mapping', 'message'], message: 'a closing "}"' },
  { name: 'no field at all', options: { mapping: { message: 'text' } }, path: ['mapping', 'message'], message: 'at least one %{field}' },
  { name: 'append without a name', options: { mapping: { message: '%{a} %{+}' } }, path: ['mapping', 'message'], message: 'a field name' },
  { name: 'bad conversion type', options: { convert_datatype: { a: 'long' } }, path: ['convert_datatype', 'a'], message: 'one of "int", "float"' },
];

runProblemCases('dissect', problems);
