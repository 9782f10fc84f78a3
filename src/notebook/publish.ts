// What a notebook's report cells call: write a table (CSV + Markdown) or a figure (PNG, SVG,
// PDF) to disk and show it inline.
import { join } from "node:path";
import { PROJECT_ROOT } from "../data/files";
import { PlotlyFigure } from "../figures/plotly";
import { exportFigure } from "../figures/render";
import { Row, toDataFrame, toMarkdown, writeTable } from "../report/tables";
import { showFigure, showMarkdown } from "./display";

export function figuresDir(experiment: string, profile: string): string {
  return join(process.env.BAL_FIGURES_DIR ?? join(PROJECT_ROOT, "figures"), experiment, profile);
}

export function tablesDir(experiment: string, profile: string): string {
  return join(process.env.BAL_RESULTS_DIR ?? join(PROJECT_ROOT, "results"), experiment, profile, "tables");
}

/** Writes <dir>/<name>.csv/.md, shows the Markdown, and returns the rows as a danfo DataFrame. */
export function publishTable(rows: Row[], dir: string, name: string, caption: string): unknown {
  writeTable(rows, join(dir, name), caption);
  showMarkdown(toMarkdown(rows, `**${caption}**`));
  return toDataFrame(rows);
}

/** Exports <dir>/<name>.png/.svg/.pdf and shows the figure inline. */
export async function publishFigure(fig: PlotlyFigure, dir: string, name: string): Promise<string> {
  const base = join(dir, name);
  const png = await exportFigure(fig, base);
  await showFigure(fig, png);
  return base;
}
