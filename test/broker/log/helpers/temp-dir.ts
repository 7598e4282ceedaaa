import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

const stacks = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Registers cleanup to run when the test ends, last registered first (node:test runs
 * `t.after` hooks in registration order, which would remove a directory before the log
 * inside it is closed).
 */
export function defer(t: TestContext, cleanup: () => unknown): void {
  let stack = stacks.get(t);
  if (stack === undefined) {
    const fresh: (() => unknown)[] = [];
    stack = fresh;
    stacks.set(t, fresh);
    t.after(async () => {
      for (const fn of fresh.reverse()) await fn();
    });
  }
  stack.push(cleanup);
}

/** A fresh temp directory removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'loglane-log-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  defer(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
