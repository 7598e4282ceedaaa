import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { APIS } from '../../../src/broker/protocol/api.ts';
import type { ApiSchema } from '../../../src/broker/protocol/api-schema.ts';
import { messageFileOf, withGrammarComment } from '../../../src/broker/protocol/grammar-comments.ts';

test('every message file documents its grammar, and the comment matches the schema', () => {
  for (const api of Object.values(APIS) as ApiSchema<unknown, unknown, unknown, unknown>[]) {
    const source = readFileSync(messageFileOf(api), 'utf8');
    assert.equal(
      withGrammarComment(source, api),
      source,
      `${api.name}: the grammar comment is out of date; run node src/broker/protocol/grammar-comments.ts`,
    );
    assert.match(source, new RegExp(`${api.name} Request \\(Version: ${api.minVersion}`));
    assert.match(source, new RegExp(`${api.name} Response \\(Version: [0-9-]*${api.maxVersion}\\) =>`));
  }
});
