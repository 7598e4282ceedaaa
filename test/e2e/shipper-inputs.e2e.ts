/**
 * Inputs against the real embedded broker: syslog over UDP and TCP (RFC 3164 and 5424)
 * and HTTP NDJSON posts arrive as structured events (the HTTP answer comes after the
 * ack: the events are readable as soon as it arrives); bad input — an unreadable file,
 * binary garbage, over-long lines, invalid syslog — is logged with its source and
 * counted, and the shipper keeps running.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { shipperMetrics } from '../../src/shipper/metrics.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { tempDir } from '../helpers/cli.ts';
import { capturingLogger, readTopic, runShipper } from '../shipper/helpers.ts';

test('syslog UDP/TCP and HTTP NDJSON arrive structured; bad input is logged with its source, counted, and nothing crashes', { timeout: 180_000 }, async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const dir = await tempDir(t);
  const topic = uniqueTopic('inputs');
  await mkdir(path.join(dir, 'logs'));
  const locked = path.join(dir, 'logs', 'locked.log');
  await writeFile(locked, 'locked line\n');
  await chmod(locked, 0o000);
  await writeFile(path.join(dir, 'logs', 'garbage.log'), Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0x00, 0x0a]), Buffer.from(`${'z'.repeat(3000)}\nfile ok\n`)]));
  const log = capturingLogger();
  const shipper = await runShipper(t, {
    bootstrap,
    dir: path.join(dir, 'data'),
    cwd: dir,
    logger: log.logger,
    raw: {
      inputs: [
        { type: 'syslog', id: 'e2e-udp', protocol: 'udp', port: 0 },
        { type: 'syslog', id: 'e2e-tcp', protocol: 'tcp', port: 0 },
        { type: 'http', id: 'e2e-http', port: 0 },
        { type: 'file', id: 'e2e-file', paths: ['logs/*.log'], max_line_bytes: 1024, scan_interval_ms: 50, poll_interval_ms: 20 },
      ],
      kafka: { topic },
    },
  });
  const port = (name: string) => shipper.endpoints.find((e) => e.name === name)!.port;

  const udp = createSocket('udp4');
  t.after(() => udp.close());
  for (const m of ['<34>Oct 11 22:14:15 host1 sshd[77]: e2e udp rfc3164', '<165>1 2024-05-01T10:00:00.000Z host2 app 5 MSG1 [meta@1 k="v"] e2e udp rfc5424', 'definitely not syslog']) {
    await new Promise<void>((r) => udp.send(m, port('syslog-udp'), '127.0.0.1', () => r()));
  }
  const tcp = connect(port('syslog-tcp'), '127.0.0.1');
  await new Promise((r) => tcp.once('connect', r));
  const octet = '<14>1 2024-05-01T10:00:01Z host3 web - - - e2e tcp octet';
  tcp.end(`${Buffer.byteLength(octet)} ${octet}<13>May  1 10:00:02 host4 cron: e2e tcp newline\n`);
  const bad = connect(port('syslog-tcp'), '127.0.0.1');
  await new Promise((r) => bad.once('connect', r));
  bad.write('123456789 <1>');
  await new Promise((r) => bad.once('close', r));

  const response = await fetch(`http://127.0.0.1:${port('http-input')}/`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"service":"api","msg":"e2e http 1"}\n{"service":"api","msg":"e2e http 2","user":{"id":9}}\n' });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { accepted: 2 });
  // Answered after the ack: the events are already in the topic.
  const afterAck = await readTopic(bootstrap, topic, (m) => m.filter((x) => x.value.service === 'api').length >= 2, 15_000);
  assert.equal(afterAck.filter((x) => x.value.service === 'api').length, 2);

  const all = await readTopic(bootstrap, topic, (m) => m.length >= 11, 60_000);
  const by = (text: string) => all.find((m) => m.value.message === text)?.value as { log: { syslog: Record<string, unknown>; flags?: string[]; source?: { address: string } }; tags?: string[] } | undefined;
  assert.equal(by('e2e udp rfc3164')?.log.syslog.hostname, 'host1');
  assert.deepEqual(by('e2e udp rfc5424')?.log.syslog.structured_data, { 'meta@1': { k: 'v' } });
  assert.equal(by('e2e tcp octet')?.log.syslog.appname, 'web');
  assert.equal(by('e2e tcp newline')?.log.syslog.appname, 'cron');
  assert.deepEqual(by('definitely not syslog')?.tags, ['_syslogparsefailure']);
  assert.deepEqual(by('z'.repeat(1024))?.log.flags, ['truncated']);
  assert.ok(by('file ok'));
  assert.ok(all.some((m) => ((m.value.log as { flags?: string[] } | undefined)?.flags ?? []).includes('invalid_utf8')));
  assert.deepEqual(all.find((m) => m.value.msg === 'e2e http 2')?.value.user, { id: 9 });

  const invalid = (await shipperMetrics.invalidInput.get()).values.filter((v) => String(v.labels.input).startsWith('e2e-'));
  const reasons = new Set(invalid.map((v) => v.labels.reason));
  for (const reason of ['invalid_syslog', 'invalid_frame', 'invalid_utf8', ...(process.getuid?.() === 0 ? [] : ['open_error'])]) assert.ok(reasons.has(reason), `${reason} counted (${[...reasons].join(',')})`);
  const truncated = (await shipperMetrics.truncatedLines.get()).values.find((v) => v.labels.input === 'e2e-file');
  assert.equal(truncated?.value, 1);
  assert.ok(log.lines.some((l) => l.reason === 'invalid_frame' && /^127\.0\.0\.1:\d+$/.test(String(l.peer))));
  assert.ok(log.lines.some((l) => l.reason === 'invalid_syslog' && /^127\.0\.0\.1:\d+$/.test(String(l.peer))));
  assert.ok(log.lines.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_INPUT' && String(l.path).endsWith('garbage.log')));
  if (process.getuid?.() !== 0) assert.ok(log.lines.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_INPUT' && l.path === locked));
  // Still running: another post goes through.
  assert.equal((await fetch(`http://127.0.0.1:${port('http-input')}/`, { method: 'POST', body: '{"still":"alive"}' })).status, 200);
});
