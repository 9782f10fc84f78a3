// What a notebook's report cells call: write a table (CSV + Markdown) or a figure (PNG, SVG,
// PDF) to disk and show it inline.
import { Claim, verdictCounts } from "../report/claims";
import { join } from "node:path";
import { PROJECT_ROOT } from "../data/files";
import { PlotlyFigure } from "../figures/plotly";
import { exportFigure } from "../figures/render";
import { ProfileMeta, protocolTable, ProtocolPoint } from "../report/protocol";
import { Row, toMarkdown, writeTable } from "../report/tables";
import { showFigure, showMarkdown } from "./display";

export function figuresDir(experiment: string, profile: string): string {
  return join(process.env.BAL_FIGURES_DIR ?? join(PROJECT_ROOT, "figures"), experiment, profile);
}

export function tablesDir(experiment: string, profile: string): string {
  return join(process.env.BAL_RESULTS_DIR ?? join(PROJECT_ROOT, "results"), experiment, profile, "tables");
}

/**
 * Writes <dir>/<name>.csv/.md and shows the Markdown. Returns nothing, so a cell ending with it
 * prints no internals (report/tables' toDataFrame gives a danfo DataFrame for further analysis).
 */
export function publishTable(rows: Row[], dir: string, name: string, caption: string): void {
  writeTable(rows, join(dir, name), caption);
  showMarkdown(toMarkdown(rows, `**${caption}**`));
}

/** The protocol table of a profile (generated from its config), written as <dir>/protocol-<profile>.csv/.md and shown. */
export function publishProtocol<C extends ProfileMeta & { profile: string }>(rows: readonly ProtocolPoint<C>[], cfg: C, dir: string, paper: string): void {
  const follows = cfg.follows ?? "paper";
  publishTable(protocolTable(rows, cfg), dir, `protocol-${cfg.profile}`,
    `Protocol of the '${cfg.profile}' profile against ${paper}: it follows ${follows === "paper" ? "the paper's text (the authors' code where the text is silent)" : "the authors' code where it differs from the text"}` +
    `${cfg.reduced ? " — REDUCED configuration" : ""}`);
}

/** One line per claim of the paper, with its verdict computed from our runs. */
export function publishClaims(claims: readonly Claim[], dir: string, caption: string, name = "claims"): void {
  publishTable(claims.map((c) => ({ claim: c.claim, "paper": c.paper, ours: c.ours, "per run": c.perRun ?? "", runs: c.runs, "evidence (90% bootstrap over runs)": c.evidence ?? "", verdict: c.verdict })),
    dir, name, `${caption} (${verdictCounts(claims)}; README "How a verdict is decided")`);
}

/** Exports <dir>/<name>.png/.svg/.pdf and shows the figure inline. */
export async function publishFigure(fig: PlotlyFigure, dir: string, name: string): Promise<string> {
  const base = join(dir, name);
  const png = await exportFigure(fig, base);
  await showFigure(fig, png);
  return base;
}
