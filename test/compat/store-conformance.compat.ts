/**
 * The store's conformance suite: the YAML scenario files in store-conformance/ (format of
 * Elasticsearch's REST API YAML tests), run against the embedded store — or, unchanged,
 * against a real Elasticsearch when LOGLANE_COMPAT_ES_URL points at one (e.g.
 * `LOGLANE_COMPAT_ES_URL=http://localhost:9201 npm run test:compat`), which is how the
 * expectations are checked to be Elasticsearch's own.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestStore } from '../store/helpers.ts';
import { parseScenarioFile, ScenarioRunner } from './store-conformance/runner.ts';

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-conformance');
const files = (await readdir(here)).filter((f) => f.endsWith('.yml')).sort();
const external = process.env.LOGLANE_COMPAT_ES_URL;

let baseUrl = external ?? '';
const hooks: (() => Promise<void>)[] = [];
before(async () => {
  if (!external) baseUrl = (await startTestStore({ after: (fn) => hooks.push(fn) })).url;
});
after(async () => {
  for (const hook of hooks) await hook();
});

/** Removes what the scenarios create (every name starts with `conf`), like Elasticsearch's runner wipes the cluster. */
async function wipe(url: string): Promise<void> {
  const json = async (p: string) => {
    const res = await fetch(`${url}${p}`);
    return res.status === 200 ? ((await res.json()) as unknown) : undefined;
  };
  const del = (p: string) => fetch(`${url}${p}`, { method: 'DELETE' });
  const streams = (await json('/_data_stream/conf*')) as { data_streams: { name: string }[] } | undefined;
  for (const s of streams?.data_streams ?? []) await del(`/_data_stream/${s.name}`);
  const indices = ((await json('/_cat/indices/conf*?format=json&h=index&expand_wildcards=all')) as { index: string }[] | undefined) ?? [];
  for (const i of indices) await del(`/${encodeURIComponent(i.index)}`);
  const templates = (await json('/_index_template/conf*')) as { index_templates: { name: string }[] } | undefined;
  for (const t of templates?.index_templates ?? []) await del(`/_index_template/${t.name}`);
  const components = (await json('/_component_template/conf*')) as { component_templates: { name: string }[] } | undefined;
  for (const c of components?.component_templates ?? []) await del(`/_component_template/${c.name}`);
  for (const name of Object.keys(((await json('/_template/conf*')) as object | undefined) ?? {})) await del(`/_template/${name}`);
  for (const name of Object.keys(((await json('/_ingest/pipeline/conf*')) as object | undefined) ?? {})) await del(`/_ingest/pipeline/${name}`);
  for (const name of Object.keys(((await json('/_ilm/policy')) as object | undefined) ?? {}).filter((n) => n.startsWith('conf'))) await del(`/_ilm/policy/${name}`);
}

for (const file of files) {
  const scenario = parseScenarioFile(await readFile(path.join(here, file), 'utf8'));
  describe(file, () => {
    for (const { name, steps } of scenario.tests) {
      test(name, async () => {
        const runner = new ScenarioRunner(baseUrl);
        await wipe(baseUrl);
        try {
          await runner.run(scenario.setup);
          await runner.run(steps);
        } finally {
          await runner.run(scenario.teardown);
        }
      });
    }
  });
}
