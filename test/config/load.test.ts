import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { type ConfigIssue, loadConfig, parseConfigText } from '../../src/config/load.ts';
import { isLoglaneError } from '../../src/errors/loglane-error.ts';
import { tempDir } from '../helpers/cli.ts';

function issuesOf(text: string, env: Record<string, string> = {}): ConfigIssue[] {
  try {
    parseConfigText(text, 'loglane.yml', env);
  } catch (error) {
    assert.ok(isLoglaneError(error), `expected a LoglaneError, got ${String(error)}`);
    return error.context.issues as ConfigIssue[];
  }
  assert.fail('expected the configuration to be rejected');
}

test('an empty file gives the defaults, frozen', () => {
  const config = parseConfigText('', 'loglane.yml', {});
  assert.equal(config.data_dir, './data');
  assert.equal(config.admin.port, 9600);
  assert.equal(config.admin.host, '127.0.0.1');
  assert.equal(config.log.level, 'info');
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.admin));
});

test('a typo in a key is reported with its position, path and a suggestion', () => {
  const [issue, ...rest] = issuesOf('admin:\n  host: 127.0.0.1\n  prot: 9601\n');
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { code: issue!.code, line: issue!.line, column: issue!.column, path: issue!.path },
    { code: 'LOGLANE_ERR_CONFIG_INVALID', line: 3, column: 3, path: 'admin.prot' },
  );
  assert.match(issue!.message, /unknown key "prot"; did you mean "port"\?/);
});

test('a wrong type is reported with what was expected and what was found', () => {
  const [issue] = issuesOf('log:\n  level: info\nadmin:\n  port: "ninety"\n');
  assert.equal(issue!.code, 'LOGLANE_ERR_CONFIG_INVALID');
  assert.deepEqual([issue!.line, issue!.column, issue!.path], [4, 9, 'admin.port']);
  assert.match(issue!.message, /expected a number, found string "ninety"/);
});

test('a missing required variable is reported at the reference', () => {
  const [issue] = issuesOf('data_dir: ${LOGLANE_TEST_DIR:?point it at a writable folder}\n');
  assert.equal(issue!.code, 'LOGLANE_ERR_CONFIG_ENV');
  assert.deepEqual([issue!.line, issue!.column, issue!.path], [1, 11, 'data_dir']);
  assert.match(issue!.message, /LOGLANE_TEST_DIR is required: point it at a writable folder/);
});

test('all problems of a file are reported together, in file order', () => {
  const issues = issuesOf('admin:\n  prot: 1\n  port: x\nlog:\n  level: ${LEVEL}\n');
  assert.deepEqual(
    issues.map((i) => [i.line, i.path, i.code]),
    [
      [2, 'admin.prot', 'LOGLANE_ERR_CONFIG_INVALID'],
      [3, 'admin.port', 'LOGLANE_ERR_CONFIG_INVALID'],
      [5, 'log.level', 'LOGLANE_ERR_CONFIG_ENV'],
    ],
  );
});

test('enum, range and root-shape errors', () => {
  assert.match(issuesOf('log:\n  level: loud\n')[0]!.message, /expected one of "trace", "debug"/);
  assert.match(issuesOf('admin:\n  port: 70000\n')[0]!.message, /expected a value <= 65535, found number 70000/);
  assert.match(issuesOf('- a\n- b\n')[0]!.message, /expected a mapping of sections/);
  assert.equal(issuesOf('nonsense_section: 1\n')[0]!.path, 'nonsense_section');
});

test('YAML syntax errors carry a position', () => {
  const [issue] = issuesOf('admin:\n  port: [1,\n');
  assert.equal(issue!.code, 'LOGLANE_ERR_CONFIG_SYNTAX');
  assert.ok(issue!.line >= 2);
});

test('interpolated plain scalars get the type they would have had; quoted ones stay strings', () => {
  const config = parseConfigText('admin:\n  port: ${PORT}\n  enabled: ${ON:-true}\ndata_dir: "${DIR}"\n', 'x.yml', { PORT: '9700', DIR: '123' });
  assert.equal(config.admin.port, 9700);
  assert.equal(config.admin.enabled, true);
  assert.equal(config.data_dir, '123');
});

test('loadConfig reads ./loglane.yml, honours --config, and explains a missing file', async (t) => {
  const dir = await tempDir(t);
  assert.equal((await loadConfig({ cwd: dir, env: {} })).file, null);
  await writeFile(path.join(dir, 'loglane.yml'), 'admin:\n  port: 9999\n');
  const loaded = await loadConfig({ cwd: dir, env: {} });
  assert.equal(loaded.config.admin.port, 9999);
  assert.equal(loaded.file, path.join(dir, 'loglane.yml'));
  await assert.rejects(loadConfig({ cwd: dir, env: {}, file: 'missing.yml' }), (error: unknown) => {
    assert.ok(isLoglaneError(error, 'LOGLANE_ERR_CONFIG_READ'));
    assert.match(error.message, /missing\.yml: no such file/);
    return true;
  });
  await assert.rejects(loadConfig({ cwd: dir, env: { LOGLANE_CONFIG: 'other.yml' } }), /other\.yml/);
});
