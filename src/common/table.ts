import Table from 'cli-table3';

/** Renders rows as a plain box table for the CLI. */
export function renderTable(head: string[], rows: (string | number | bigint | boolean | null | undefined)[][]): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((c) => (c === null || c === undefined ? '' : String(c))));
  return table.toString();
}
