/**
 * rsyslog's omelasticsearch (Debian rsyslog-elasticsearch) in bulk mode ships the lines of
 * a file (imfile) into the embedded store.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../helpers/cli.ts';
import { startTestStore } from '../store/helpers.ts';

const LINES = 500;

test('rsyslog omelasticsearch (bulk mode) indexes a file’s lines into the store', { timeout: 120_000 }, async (t) => {
  const es = await startTestStore(t);
  const dir = await tempDir(t, 'loglane-rsyslog-');
  const port = new URL(es.url).port;
  const logFile = path.join(dir, 'app.log');
  await mkdir(path.join(dir, 'work'));
  await writeFile(logFile, '');
  const conf = path.join(dir, 'rsyslog.conf');
  await writeFile(
    conf,
    `global(workDirectory="${dir}/work")
module(load="imfile" PollingInterval="1")
module(load="omelasticsearch")
template(name="doc" type="list" option.jsonf="on") {
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="tag" name="syslogtag" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
}
input(type="imfile" File="${logFile}" Tag="app:" freshStartTail="off")
action(type="omelasticsearch" server="127.0.0.1" serverport="${port}" template="doc" searchIndex="rsyslog-lines"
       bulkmode="on" maxbytes="100k" queue.type="linkedlist" queue.size="10000" queue.dequeuebatchsize="100"
       action.resumeRetryCount="-1" errorfile="${dir}/es-errors.json")
`,
  );
  const rsyslog = spawn('/usr/sbin/rsyslogd', ['-n', '-f', conf, '-i', path.join(dir, 'rsyslog.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  rsyslog.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  t.after(async () => {
    rsyslog.kill('SIGTERM');
    await new Promise((resolve) => rsyslog.once('exit', resolve));
  });
  const lines = Array.from({ length: LINES }, (_, i) => `line ${i} GET /api/items/${i} status=${i % 5 === 0 ? 500 : 200}`);
  await appendFile(logFile, `${lines.join('\n')}\n`);
  let count = 0;
  for (let attempt = 0; attempt < 300 && count < LINES; attempt++) {
    await sleep(200);
    const res = await es.request('GET', '/rsyslog-lines/_count');
    count = res.status === 200 ? res.body.count : 0;
  }
  const errors = await readFile(path.join(dir, 'es-errors.json'), 'utf8').catch(() => '');
  assert.equal(count, LINES, `rsyslog stderr: ${stderr}\nerror file: ${errors}`);
  assert.equal(errors, '');
  const match = await es.request('POST', '/rsyslog-lines/_count', { query: { match: { message: { query: 'status=500', operator: 'and' } } } });
  assert.equal(match.body.count, LINES / 5);
  const mapping = (await es.request('GET', '/rsyslog-lines/_mapping')).body['rsyslog-lines'].mappings.properties;
  assert.equal(mapping['@timestamp'].type, 'date');
});
