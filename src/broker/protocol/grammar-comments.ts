import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APIS } from './api.ts';
import type { ApiSchema } from './api-schema.ts';
import { renderGrammar } from './grammar.ts';

/**
 * Keeps the grammar in each messages/<api>.ts header comment equal to the schema below
 * it. `node src/broker/protocol/grammar-comments.ts` rewrites the blocks between the
 * `<grammar>` and `</grammar>` lines; a test fails when a block is out of date.
 */

const BEGIN = ' * <grammar>';
const END = ' * </grammar>';

/** The file of an API's schema: messages/<kebab-case name>.ts. */
export function messageFileOf(api: ApiSchema<unknown, unknown, unknown, unknown>): string {
  const kebab = api.name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `-${c}`)).toLowerCase();
  return fileURLToPath(new URL(`./messages/${kebab}.ts`, import.meta.url));
}

/** The comment lines that belong between the markers. */
export function grammarCommentLines(api: ApiSchema<unknown, unknown, unknown, unknown>): string[] {
  const text = `${renderGrammar(api, 'request')}\n\n${renderGrammar(api, 'response')}`;
  return text.split('\n').map((line) => (line === '' ? ' *' : ` * ${line}`));
}

/** The source with its grammar block replaced (throws if the markers are missing). */
export function withGrammarComment(source: string, api: ApiSchema<unknown, unknown, unknown, unknown>): string {
  const lines = source.split('\n');
  const begin = lines.indexOf(BEGIN);
  const end = lines.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${api.name}: no "${BEGIN.trim()}" … "${END.trim()}" block`);
  return [...lines.slice(0, begin + 1), ...grammarCommentLines(api), ...lines.slice(end)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const api of Object.values(APIS) as ApiSchema<unknown, unknown, unknown, unknown>[]) {
    const file = messageFileOf(api);
    const source = readFileSync(file, 'utf8');
    const updated = withGrammarComment(source, api);
    if (updated !== source) {
      writeFileSync(file, updated);
      console.log(`updated ${file}`);
    }
  }
}
