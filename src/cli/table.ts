/** Plain-text tables for command output (or JSON with --json). */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] as string).length)));
  return `${cells.map((row) => row.map((c, i) => (c as string).padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}

export function printResult(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text());
}
