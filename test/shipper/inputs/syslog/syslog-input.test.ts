import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { shipperMetrics } from '../../../../src/shipper/metrics.ts';
import { tempDir } from '../../../helpers/cli.ts';
import { FakeProducer } from '../../fake-producer.ts';
import { capturingLogger, eventually, runShipper } from '../../helpers.ts';

async function start(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const producer = new FakeProducer();
  const log = capturingLogger();
  const shipper = await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: log.logger,
    raw: { inputs: [{ type: 'syslog', id: 'sys-udp', protocol: 'udp', port: 0 }, { type: 'syslog', id: 'sys-tcp', protocol: 'tcp', port: 0, max_message_bytes: 1000 }], kafka: { linger_ms: 1 } },
  });
  const udp = shipper.endpoints.find((e) => e.name === 'syslog-udp')!.port;
  const tcp = shipper.endpoints.find((e) => e.name === 'syslog-tcp')!.port;
  return { producer, udp, tcp, logs: log.lines };
}

test('syslog over UDP and TCP (octet counting and newlines) arrives structured; invalid messages are tagged, counted and logged with the peer', async (t) => {
  const { producer, udp, tcp, logs } = await start(t);
  const before = (await shipperMetrics.invalidInput.get()).values.filter((v) => String(v.labels.input).startsWith('sys-')).reduce((s, v) => s + v.value, 0);
  const socket = createSocket('udp4');
  t.after(() => socket.close());
  await new Promise<void>((r) => socket.send('<34>Oct 11 22:14:15 mymachine su: udp 3164', udp, '127.0.0.1', () => r()));
  await new Promise<void>((r) => socket.send('<165>1 2003-10-11T22:14:15.003Z host app 1 ID [a@1 k="v"] udp 5424', udp, '127.0.0.1', () => r()));
  await new Promise<void>((r) => socket.send('garbage without pri', udp, '127.0.0.1', () => r()));
  const conn = connect(tcp, '127.0.0.1');
  await new Promise((r) => conn.once('connect', r));
  const m5424 = '<14>1 2024-01-01T00:00:00Z h tcpapp - - - tcp octet';
  conn.write(`${Buffer.byteLength(m5424)} ${m5424}<13>Jan  2 03:04:05 h2 app[9]: tcp newline\n`);
  conn.end();
  await eventually(async () => (producer.sent.length >= 5 ? true : undefined), 10_000, '5 events');
  const byMessage = new Map(producer.sent.map((m) => [m.value.message as string, m.value]));
  const syslogOf = (msg: string) => (byMessage.get(msg)!.log as { syslog: Record<string, unknown> }).syslog;
  assert.equal(syslogOf('udp 3164').hostname, 'mymachine');
  assert.deepEqual(syslogOf('udp 5424').structured_data, { 'a@1': { k: 'v' } });
  assert.equal(syslogOf('tcp octet').appname, 'tcpapp');
  assert.equal(syslogOf('tcp newline').procid, '9');
  assert.match(String((byMessage.get('tcp octet')!.log as { source: { address: string } }).source.address), /^127\.0\.0\.1:\d+$/);
  assert.deepEqual(byMessage.get('garbage without pri')!.tags, ['_syslogparsefailure']);
  // A TCP framing error closes that connection only.
  const bad = connect(tcp, '127.0.0.1');
  await new Promise((r) => bad.once('connect', r));
  bad.write('99999 <1>x');
  await new Promise((r) => bad.once('close', r));
  const after = (await shipperMetrics.invalidInput.get()).values.filter((v) => String(v.labels.input).startsWith('sys-')).reduce((s, v) => s + v.value, 0);
  assert.equal(after - before, 2);
  assert.ok(logs.some((l) => l.reason === 'invalid_syslog' && /^127\.0\.0\.1:/.test(String(l.peer))));
  assert.ok(logs.some((l) => l.reason === 'invalid_frame' && /^127\.0\.0\.1:/.test(String(l.peer))));
});
