// Tables: rows of plain values -> Markdown, CSV, and a danfo DataFrame for notebook display.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export function formatNumber(x: number | null | undefined, digits = 1): string {
  if (x == null || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

function columns(rows: readonly Row[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** Like formatNumber, but integers keep the decimals too (columns that sit beside a paper's "110.0"). */
export function formatFixed(x: number | null | undefined, digits = 1): string {
  if (x == null || Number.isNaN(x) || !Number.isFinite(x)) return formatNumber(x, digits);
  return x.toFixed(digits);
}

const show = (c: Cell | undefined) => (c == null ? "" : typeof c === "number" ? formatNumber(c, 3) : c);

export function toMarkdown(rows: readonly Row[], caption?: string): string {
  const cols = columns(rows);
  const lines = [`| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cols.map((c) => show(r[c]).replace(/\|/g, "\\|")).join(" | ")} |`)];
  return (caption ? `${caption}\n\n` : "") + lines.join("\n") + "\n";
}

export function toCsv(rows: readonly Row[]): string {
  const cols = columns(rows);
  const esc = (c: Cell | undefined) => {
    const s = c == null ? "" : typeof c === "number" ? (Number.isFinite(c) ? String(c) : c > 0 ? "inf" : "-inf") : c;
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(","), ...rows.map((r) => cols.map((c) => esc(r[c])).join(","))].join("\n") + "\n";
}

/** Writes <base>.csv and <base>.md. */
export function writeTable(rows: readonly Row[], base: string, caption?: string): void {
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.csv`, toCsv(rows));
  writeFileSync(`${base}.md`, toMarkdown(rows, caption));
}

/** A danfo DataFrame of the rows (loaded lazily: danfo is heavy). Values are shown as strings. */
export function toDataFrame(rows: readonly Row[]): unknown {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require("danfojs-node") as { DataFrame: new (data: unknown[], opts?: unknown) => unknown };
  const cols = columns(rows);
  return new dfd.DataFrame(rows.map((r) => cols.map((c) => show(r[c]))), { columns: cols });
}
