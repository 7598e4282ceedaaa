#!/usr/bin/env node
// The `loglane` launcher. It runs on any Node: when the running Node is older than 24 it
// re-executes itself on the Node 24 that `npm install` brought (the `node` package), so
// `npx loglane` and ./node_modules/.bin/loglane work on a machine whose system Node is old.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REQUIRED_MAJOR = 24;
const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= REQUIRED_MAJOR) {
  // Cache compiled (and type-stripped) modules between runs: CLI commands start faster.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  const { main } = await import(pathToFileURL(entry).href);
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  setImmediate(() => process.exit(code));
} else {
  const bundled = findBundledNode();
  if (!bundled) {
    process.stderr.write(
      `loglane: needs Node.js ${REQUIRED_MAJOR} or newer (this is ${process.version}) and found no bundled Node; run "npm install" in the loglane folder, which brings Node ${REQUIRED_MAJOR} from the npm registry\n`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Forward termination signals; a terminal's Ctrl-C reaches the child through the process group anyway.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
}

function findBundledNode() {
  const candidates = [];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(join(dirname(require.resolve('node/package.json')), 'bin', 'node'));
  } catch {
    // not resolvable from here
  }
  candidates.push(join(here, '..', 'node_modules', 'node', 'bin', 'node'));
  return candidates.find((file) => existsSync(file));
}
