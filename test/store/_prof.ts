import { rmSync } from 'node:fs';
import { Engine } from '../../src/store/engine/engine.ts';
import { write } from '../../src/store/engine/documents.ts';
import { parseBulk } from '../../src/store/api/bulk-parse.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
const dir = '/tmp/prof/engine';
rmSync(dir, { recursive: true, force: true });
const engine = new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
const words = ['connection', 'refused', 'timeout', 'user', 'cart', 'order', 'completed', 'failed'];
const lines: string[] = [];
for (let i = 0; i < 20000; i++) {
  lines.push('{"index":{"_index":"bench"}}', JSON.stringify({ '@timestamp': new Date(Date.UTC(2024, 4, 1) + i * 7).toISOString(), level: 'INFO', service: 'checkout', host: 'web-01', status: 200, latency_ms: i % 2000, message: `GET /api/${words[i % 8]}/${i} ${words[(i * 3) % 8]} ${words[(i * 5) % 8]} in ${i % 2000} ms user=${i * 7} trace=${(i * 7919).toString(16)}` }));
}
const body = Buffer.from(`${lines.join('\n')}\n`);
const t0 = performance.now();
let parseMs = 0;
for (let r = 0; r < 10; r++) {
  const p0 = performance.now();
  const parsed = parseBulk(body, {});
  parseMs += performance.now() - p0;
  const res = await write(engine, { body, items: parsed.items });
  if (res.errors) throw new Error('errors');
}
const ms = performance.now() - t0;
console.log('engine docs/s', Math.round(200000 / ms * 1000), 'parseBulk ms total', parseMs.toFixed(0));
await engine.close();
