/** Reading a field's values out of a `_source` by dotted path (`a.b` matches `{"a":{"b":1}}` and `{"a.b":1}`). */

export function valuesAt(source: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(source, path.split('.'), out);
  return out;
}

function collect(node: unknown, segments: string[], out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const element of node) collect(element, segments, out);
    return;
  }
  if (segments.length === 0) {
    if (node !== null && node !== undefined) out.push(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  for (let i = 1; i <= segments.length; i++) {
    const key = i === 1 ? segments[0]! : segments.slice(0, i).join('.');
    if (Object.hasOwn(object, key)) collect(object[key], segments.slice(i), out);
  }
}
