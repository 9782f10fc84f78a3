// Two CLI commands that check before or after the notebooks run: `bal data-check` (every dataset file
// the runs read, before make reproduce starts) and `bal check-notebooks` (executed notebooks as a reader
// sees them). Split from cli.ts, which dispatches to them.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataDir } from "./data/files";
import { dataRequirements, missingDataMessage } from "./data/requirements";
import { experimentByName } from "./experiments/registry";
import { checkNotebookPage, closeRenderer } from "./figures/render";

/** `bal check-notebooks DIR [--screenshots DIR]`: rendered (nbconvert), screenshot, every table cell read. */
export async function checkNotebooks(args: string[]): Promise<void> {
  const dir = args[0];
  const shotAt = args.indexOf("--screenshots");
  const shots = resolve(shotAt > 0 ? args[shotAt + 1] : join(dir, "screenshots"));
  mkdirSync(shots, { recursive: true });
  const notebooks = readdirSync(resolve(dir)).filter((f) => f.endsWith(".ipynb") && !f.endsWith(".FAILED.ipynb")).sort();
  if (!notebooks.length) throw new Error(`check-notebooks: no executed notebooks in ${dir}`);
  const bad: string[] = [];
  for (const nb of notebooks) {
    const html = execFileSync("/usr/bin/python3", ["-m", "nbconvert", "--to", "html", "--stdout", join(resolve(dir), nb)], { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] }).toString();
    const shot = join(shots, nb.replace(/\.ipynb$/, ".png"));
    const c = await checkNotebookPage(html, shot);
    console.log(`check-notebooks: ${nb}: ${c.tables} tables, first cell ${c.firstCellLines} lines, screenshot ${shot}`);
    for (const cell of c.rawCells) bad.push(`${nb}: table cell '${cell.slice(0, 120)}'`);
    if (c.firstCellLines > 20) bad.push(`${nb}: the first cell prints ${c.firstCellLines} lines (a short profile summary is expected)`);
  }
  await closeRenderer();
  if (bad.length) throw new Error(`notebooks a reader would trip over:\n  ${bad.join("\n  ")}`);
}

/**
 * `bal data-check [--profile P] EXPERIMENT...`: every dataset file the runs of these experiments'
 * profile read; exit status 2 with one list and the fix when any is missing. False: no experiment given.
 */
export function dataCheck(args: string[]): boolean {
  const at = args.indexOf("--profile");
  const profile = at >= 0 ? args[at + 1] : "smoke";
  if (at >= 0 && (!profile || profile.startsWith("--"))) throw new Error("--profile needs a profile name");
  const experiments = args.filter((_, i) => !(at >= 0 && (i === at || i === at + 1)));
  if (!experiments.length) return false;
  const names = experiments.flatMap((e) => {
    const entry = experimentByName(e);
    // An experiment without this profile (e.g. the survey has no 'reference') runs its notebook's default.
    return entry.profiles.includes(profile) ? entry.load(profile).sweep.runs.map((r) => r.dataset) : [];
  });
  const reqs = dataRequirements(names);
  const message = missingDataMessage(reqs);
  if (message) {
    console.error(message);
    process.exitCode = 2;
  } else console.log(`data-check: ${reqs.map((r) => r.dataset).join(", ") || "no datasets"} present in ${dataDir()}`);
  return true;
}
