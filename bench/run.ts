/**
 * `npm run bench [-- <scenario> ...]`: runs the named benchmark scenarios (all when none
 * are named), each `bench/<name>.bench.ts` in its own process so that one scenario's heap
 * and threads do not disturb the next. Each scenario prints its own comparable lines.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ') || '(none)'}\n`);
  process.exit(2);
}
const scenarios = wanted.length > 0 ? wanted : available;
if (scenarios.length === 0) process.stdout.write('no benchmark scenarios yet\n');
let failed = 0;
for (const name of scenarios) {
  process.stdout.write(`\n## ${name}\n`);
  const result = spawnSync(process.execPath, [path.join(here, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`scenario ${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
