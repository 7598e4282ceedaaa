/**
 * The `_cat` output formats: aligned text columns (`v` adds the header, `h` picks
 * columns, `s` sorts, `help` lists columns) or `format=json|yaml` with string values.
 */
import { stringify } from 'yaml';
import { illegalArgument } from '../errors.ts';
import type { Ctx, Result } from '../http/router.ts';

export interface CatColumn {
  name: string;
  numeric?: boolean;
  bytes?: boolean;
  /** Not shown unless asked for with `h`. */
  hidden?: boolean;
}

export function formatCat(ctx: Ctx, columns: CatColumn[], rows: Record<string, string | number>[]): Result {
  if (ctx.flag('help')) return { text: `${columns.map((c) => `${c.name} | ${c.name}`).join('\n')}\n` };
  const byName = new Map(columns.map((c) => [c.name, c]));
  const selected = ctx.query.h
    ? ctx.query.h.split(',').flatMap((h) => {
        const names = h.includes('*') ? columns.map((c) => c.name).filter((n) => new RegExp(`^${h.replaceAll('.', '\\.').replaceAll('*', '.*')}$`).test(n)) : [h];
        return names.map((n) => {
          const column = byName.get(n);
          if (!column) throw illegalArgument(`header name [${n}] does not exist in column names`);
          return column;
        });
      })
    : columns.filter((c) => !c.hidden);
  const sorted = [...rows];
  if (ctx.query.s) {
    const keys = ctx.query.s.split(',').map((s) => {
      const [name, dir] = s.split(':') as [string, string?];
      if (!byName.has(name)) throw illegalArgument(`Unable to sort by unknown sort key \`${name}\``);
      return { name, desc: dir === 'desc', column: byName.get(name)! };
    });
    sorted.sort((a, b) => {
      for (const key of keys) {
        const av = key.column.bytes ? Number(a._bytes ?? 0) : a[key.name];
        const bv = key.column.bytes ? Number(b._bytes ?? 0) : b[key.name];
        const cmp = key.column.numeric ? Number(av) - Number(bv) : String(av).localeCompare(String(bv));
        if (cmp !== 0) return key.desc ? -cmp : cmp;
      }
      return 0;
    });
  }
  const format = ctx.query.format;
  if (format === 'json' || format === 'yaml') {
    const objects = sorted.map((row) => Object.fromEntries(selected.map((c) => [c.name, row[c.name] === undefined ? null : String(row[c.name])])));
    return format === 'json' ? { body: objects } : { text: stringify(objects), contentType: 'application/yaml' };
  }
  if (format !== undefined && format !== 'txt' && format !== 'text') throw illegalArgument(`unsupported format [${format}]`);
  const table = sorted.map((row) => selected.map((c) => String(row[c.name] ?? '')));
  if (ctx.flag('v')) table.unshift(selected.map((c) => c.name));
  const widths = selected.map((_, i) => Math.max(0, ...table.map((r) => r[i]!.length)));
  const lines = table.map((r, rowIndex) =>
    r
      .map((cell, i) => (selected[i]!.numeric && !(rowIndex === 0 && ctx.flag('v')) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' ')
      .trimEnd(),
  );
  return { text: lines.length ? `${lines.join('\n')}\n` : '' };
}
