/**
 * Syslog messages into event fields (ECS names under `log.syslog`):
 *
 * * RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG` (`-` = nil);
 *   structured data becomes `log.syslog.structured_data.<id>.<param>`.
 * * RFC 3164 (BSD): `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`; the year is the
 *   current one (the format has none) and the time is read as UTC.
 *
 * A message without a valid `<PRI>` is not syslog: `parseSyslog` returns an error reason.
 */
import type { Fields } from '../../event.ts';

export type SyslogFormat = 'auto' | 'rfc3164' | 'rfc5424';

export type SyslogResult = { ok: true; fields: Fields } | { ok: false; reason: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function parseSyslog(text: string, format: SyslogFormat, now: Date = new Date()): SyslogResult {
  const pri = /^<(\d{1,3})>/.exec(text);
  if (pri === null) return { ok: false, reason: 'no <PRI> header' };
  const priority = Number(pri[1]);
  if (priority > 191) return { ok: false, reason: `priority ${priority} is over 191` };
  const rest = text.slice(pri[0].length);
  const is5424 = /^1 /.test(rest);
  if (format === 'rfc5424' && !is5424) return { ok: false, reason: 'not RFC 5424 (version 1 expected after <PRI>)' };
  const syslog: Fields = { priority, facility: { code: priority >> 3, name: FACILITIES[priority >> 3] }, severity: { code: priority & 7, name: SEVERITIES[priority & 7] } };
  const fields: Fields = { log: { syslog } };
  if (is5424 && format !== 'rfc3164') {
    const problem = parse5424(rest.slice(2), fields, syslog);
    return problem === undefined ? { ok: true, fields } : { ok: false, reason: problem };
  }
  parse3164(rest, fields, syslog, now);
  return { ok: true, fields };
}

function nil(value: string): string | undefined {
  return value === '-' ? undefined : value;
}

function parse5424(text: string, fields: Fields, syslog: Fields): string | undefined {
  const header = /^(\S+) (\S+) (\S+) (\S+) (\S+) /.exec(text);
  if (header === null) return 'RFC 5424 header incomplete (TIMESTAMP HOSTNAME APP-NAME PROCID MSGID expected)';
  const [, ts, host, app, proc, msgid] = header as unknown as string[];
  syslog.version = 1;
  if (ts !== '-') {
    const ms = Date.parse(ts!);
    if (Number.isNaN(ms)) return `RFC 5424 timestamp ${JSON.stringify(ts)} is not RFC 3339`;
    fields['@timestamp'] = new Date(ms).toISOString();
  }
  if (nil(host!)) syslog.hostname = host;
  if (nil(app!)) syslog.appname = app;
  if (nil(proc!)) syslog.procid = proc;
  if (nil(msgid!)) syslog.msgid = msgid;
  let rest = text.slice(header[0].length);
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else if (rest.startsWith('[')) {
    const sd: Fields = {};
    let i = 0;
    while (rest[i] === '[') {
      const idMatch = /^\[([^\s\]=]+)/.exec(rest.slice(i));
      if (idMatch === null) return 'RFC 5424 structured data element without an id';
      const element: Fields = {};
      sd[idMatch[1]!] = element;
      i += idMatch[0].length;
      while (rest[i] === ' ') {
        const param = /^ ([^\s="\]]+)="/.exec(rest.slice(i));
        if (param === null) return 'RFC 5424 structured data parameter is not name="value"';
        i += param[0].length;
        let value = '';
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length && '"\\]'.includes(rest[i + 1]!)) i++;
          value += rest[i];
          i++;
        }
        if (rest[i] !== '"') return 'RFC 5424 structured data value is not closed';
        i++;
        element[param[1]!] = value;
      }
      if (rest[i] !== ']') return 'RFC 5424 structured data element is not closed with ]';
      i++;
    }
    syslog.structured_data = sd;
    rest = rest.slice(i);
  } else {
    return 'RFC 5424 structured data must be - or [...]';
  }
  if (rest.startsWith(' ')) rest = rest.slice(1);
  if (rest.startsWith('\uFEFF')) rest = rest.slice(1);
  fields.message = rest;
  return undefined;
}

function parse3164(text: string, fields: Fields, syslog: Fields, now: Date): void {
  const m = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /.exec(text);
  let rest = text;
  if (m !== null && MONTHS.includes(m[1]!)) {
    const month = MONTHS.indexOf(m[1]!);
    let year = now.getUTCFullYear();
    // December messages read in January belong to the year before.
    if (month - now.getUTCMonth() > 6) year--;
    fields['@timestamp'] = new Date(Date.UTC(year, month, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]))).toISOString();
    rest = text.slice(m[0].length);
    const host = /^(\S+) /.exec(rest);
    // A host name has no colon or bracket (those start the tag).
    if (host !== null && !/[:[\]]/.test(host[1]!)) {
      syslog.hostname = host[1];
      rest = rest.slice(host[0].length);
    }
  }
  const tag = /^([^\s:[\]]{1,48})(?:\[([^\]]*)\])?: ?/.exec(rest);
  if (tag !== null) {
    syslog.appname = tag[1];
    if (tag[2] !== undefined) syslog.procid = tag[2];
    rest = rest.slice(tag[0].length);
  }
  fields.message = rest;
}

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
