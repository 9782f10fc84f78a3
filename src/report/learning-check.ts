// "Does the pipeline learn at all?": the final test accuracy of finished runs against chance
// (1 / number of classes). A smoke profile that stays near chance cannot tell a broken training
// path from a working one, so `make test` checks every smoke run with this rule.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isRunResultFile, resultProblem } from "../results/store";
import { join } from "node:path";
import { RunResult } from "../loop/active-learning";

/** Required margins over chance, in accuracy points: every run, and the mean of each experiment's runs. */
export interface ChanceMargin {
  perRun: number;
  mean: number;
}
export const SMOKE_CHANCE_MARGIN: ChanceMargin = { perRun: 0.04, mean: 0.1 };

/** Classes of a run's dataset from its name ("mnist(classes=7-9)" -> 2; otherwise 10: MNIST, RepeatedMNIST, CIFAR-10). */
export function classesOf(dataset: string): number {
  const m = /classes=([\d-]+)/.exec(dataset);
  return m ? m[1].split("-").length : 10;
}

export interface LearningCheck {
  group: string;
  runs: number;
  chance: number;
  meanFinal: number;
  worst: { strategy: string; seed: number; accuracy: number };
  failures: string[];
}

/** One check per (experiment, dataset): mean and worst final test accuracy against chance + margins. */
export function checkLearning(results: readonly RunResult[], margin: ChanceMargin = SMOKE_CHANCE_MARGIN): LearningCheck[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const g = `${r.config.experiment} on ${r.config.dataset}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  return [...groups].map(([group, runs]) => {
    const chance = 1 / classesOf(runs[0].config.dataset);
    const finals = runs.map((r) => ({ strategy: r.config.strategy, seed: r.config.seed, accuracy: r.records[r.records.length - 1].testAccuracy }));
    const meanFinal = finals.reduce((a, f) => a + f.accuracy, 0) / finals.length;
    const worst = finals.reduce((a, f) => (f.accuracy < a.accuracy ? f : a));
    const failures: string[] = [];
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    if (meanFinal < chance + margin.mean) failures.push(`${group}: mean final test accuracy ${pct(meanFinal)} over ${runs.length} runs is not ${pct(margin.mean)} above chance (${pct(chance)})`);
    for (const f of finals.filter((x) => x.accuracy < chance + margin.perRun)) {
      failures.push(`${group}: ${f.strategy} seed ${f.seed} ends at ${pct(f.accuracy)}, not ${pct(margin.perRun)} above chance (${pct(chance)})`);
    }
    return { group, runs: runs.length, chance, meanFinal, worst, failures };
  });
}

/** Every finished run (a result JSON with records) under a folder. */
export function loadResultsUnder(dir: string): RunResult[] {
  const out: RunResult[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...loadResultsUnder(p));
    else if (isRunResultFile(name)) {
      // Checked as the store checks it: a damaged or unfinished file is an error naming it, never skipped.
      let r: RunResult;
      try {
        r = JSON.parse(readFileSync(p, "utf8")) as RunResult;
      } catch (e) {
        throw new Error(`Cannot read ${p}: ${(e as Error).message}. Delete it to recompute that run.`);
      }
      const problem = r === null || typeof r !== "object" || Array.isArray(r) ? "not a stored result" : typeof r.key !== "string" ? "no 'key' field: not a stored result" : resultProblem(r as unknown as Record<string, unknown>, r.key);
      if (problem) throw new Error(`${p}: ${problem}. Delete it to recompute that run.`);
      out.push(r);
    }
  }
  return out;
}
