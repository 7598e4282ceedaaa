import type { ApiSchema } from './api-schema.ts';
import { type FieldSpec, inVersions, parseVersions } from './schema.ts';

/**
 * Renders a schema in the protocol guide's notation, one block per run of versions with
 * the same layout:
 *
 *   Produce Request (Version: 9-11) => transactional_id acks timeout_ms [topic_data] _tagged_fields
 *     transactional_id => COMPACT_NULLABLE_STRING
 *     ...
 *
 * Tagged fields are listed after the regular ones as `name (tag N) => ...`; arrays that
 * may be null are marked `(nullable)`. The message files carry this text in their header
 * comment (kept in sync by grammar-comments.ts and checked by a test), so a reviewer can
 * compare a schema with the guide line by line.
 */
export function renderGrammar(api: ApiSchema<unknown, unknown, unknown, unknown>, kind: 'request' | 'response'): string {
  const fields = kind === 'request' ? api.spec.request : api.spec.response;
  const title = `${api.name} ${kind === 'request' ? 'Request' : 'Response'}`;
  const blocks: { from: number; to: number; body: string }[] = [];
  for (let v = api.minVersion; v <= api.maxVersion; v++) {
    const body = renderStruct(fields, v, api.isFlexible(v), '');
    const last = blocks.at(-1);
    if (last !== undefined && last.body === body) last.to = v;
    else blocks.push({ from: v, to: v, body });
  }
  return blocks
    .map(({ from, to, body }) => `${title} (Version: ${from === to ? from : `${from}-${to}`}) =>${body}`)
    .join('\n\n');
}

/** Returns " a [b] c\n  a => INT32\n  ..." : the field list, then one line per field. */
function renderStruct(fields: readonly FieldSpec[], version: number, flexible: boolean, indent: string): string {
  const present = fields.filter((f) => inVersions(parseVersions(f.versions), version));
  const regular = present.filter((f) => f.tag === undefined);
  const tagged = present.filter((f) => f.tag !== undefined);
  const names = regular.map((f) => (f.type.endsWith('[]') ? `[${snake(f.name)}]` : snake(f.name)));
  if (flexible) names.push('_tagged_fields');
  let out = names.length > 0 ? ` ${names.join(' ')}` : '';
  for (const f of [...regular, ...tagged]) {
    const nullable = f.nullable !== undefined && inVersions(parseVersions(f.nullable), version);
    const isArray = f.type.endsWith('[]');
    const label = f.tag !== undefined && isArray ? `[${snake(f.name)}]` : snake(f.name);
    const notes: string[] = [];
    if (f.tag !== undefined) notes.push(`tag ${f.tag}`);
    if (isArray && nullable) notes.push('nullable');
    const head = `\n${indent}  ${label}${notes.length > 0 ? ` (${notes.join(', ')})` : ''} =>`;
    if (f.type === 'struct' || f.type === 'struct[]') {
      out += head + renderStruct(f.fields ?? [], version, flexible, `${indent}  `);
    } else {
      const element = isArray ? f.type.slice(0, -2) : f.type;
      out += `${head} ${typeName(element, !isArray && nullable, flexible)}`;
    }
  }
  return out;
}

function typeName(type: string, nullable: boolean, flexible: boolean): string {
  const compact = flexible ? 'COMPACT_' : '';
  switch (type) {
    case 'bool':
      return 'BOOLEAN';
    case 'string':
      return `${compact}${nullable ? 'NULLABLE_' : ''}STRING`;
    case 'bytes':
      return `${compact}${nullable ? 'NULLABLE_' : ''}BYTES`;
    case 'records':
      return `${compact}RECORDS`;
    default:
      return type.toUpperCase();
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
