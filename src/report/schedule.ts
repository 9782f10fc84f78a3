// `bal next`: the missing reference runs of every experiment in the order that decides the most claims per
// estimated core-hour. Greedy, cheapest claim first: the undecided claim whose runs not yet scheduled cost
// least comes next with those runs (a run shared by two claims is paid once). Claims waiting for a run with no
// estimate come after every estimated one, runs no claim waits for ("none alone") last.
import { formatEstimate, formatHours, PlannedRun, RunPlan } from "./plan";

export interface ScheduledRun {
  experiment: string;
  profile: string;
  run: PlannedRun;
  /** Estimated seconds of this run and every run before it; null once a run without an estimate is in. */
  cumulativeS: number | null;
  /** Claims whose every missing run is scheduled once this one is done ("experiment / profile: claim"). */
  decides: string[];
}

interface Item { plan: RunPlan; run: PlannedRun }

export function scheduleRuns(plans: readonly RunPlan[]): ScheduledRun[] {
  const items: Item[] = plans.flatMap((plan) => plan.missing.map((run) => ({ plan, run })));
  const claimRuns = new Map<string, Item[]>();
  for (const it of items) {
    for (const c of it.run.unlocks) {
      const name = `${it.plan.experiment} / ${it.plan.profile}: ${c}`;
      claimRuns.set(name, [...(claimRuns.get(name) ?? []), it]);
    }
  }
  const scheduled = new Set<Item>();
  const order: Item[] = [];
  const decidedAt = new Map<Item, string[]>();
  // Unestimated runs cost more than any estimated set (finite, so a claim with fewer of them comes first).
  const cost = (runs: readonly Item[]) => runs.filter((r) => !scheduled.has(r)).reduce((s, r) => s + (r.run.estimateS ?? 1e12), 0);
  const open = new Map(claimRuns);
  while (open.size > 0) {
    let best: [string, Item[]] | null = null;
    for (const entry of open) if (best === null || cost(entry[1]) < cost(best[1])) best = entry;
    for (const r of best![1]) if (!scheduled.has(r)) { scheduled.add(r); order.push(r); }
    for (const [name, runs] of [...open]) {
      if (!runs.every((r) => scheduled.has(r))) continue;
      // Decidable once the last of its own runs is done (not necessarily the last one scheduled now).
      const last = order[Math.max(...runs.map((r) => order.indexOf(r)))];
      decidedAt.set(last, [...(decidedAt.get(last) ?? []), name]);
      open.delete(name);
    }
  }
  for (const it of items) if (!scheduled.has(it)) order.push(it);
  let total: number | null = 0;
  return order.map((it) => {
    total = total === null || it.run.estimateS === null ? null : total + it.run.estimateS;
    return { experiment: it.plan.experiment, profile: it.plan.profile, run: it.run, cumulativeS: total, decides: decidedAt.get(it) ?? [] };
  });
}

/** The runs whose cumulative estimate fits in `hours` core-hours (the first always does); all of them without `hours`. */
export function withinHours(schedule: readonly ScheduledRun[], hours?: number): readonly ScheduledRun[] {
  return hours === undefined ? schedule : schedule.filter((s, i) => i === 0 || (s.cumulativeS !== null && s.cumulativeS <= hours * 3600));
}

/** The schedule as a markdown table; `hours`: only the runs whose cumulative estimate fits (the first always shows). */
export function formatSchedule(schedule: readonly ScheduledRun[], hours?: number): string {
  const shown = withinHours(schedule, hours);
  const decided = schedule.reduce((n, s) => n + s.decides.length, 0);
  const lines = [
    `${schedule.length} missing reference run(s); ${decided} claim(s) wait for them. Cheapest undecided claim first` +
      (hours === undefined ? "" : `; the runs that fit in ${hours} core-hour(s) (${shown.length} of ${schedule.length})`) +
      " (estimates: recorded per-step seconds, one wasm thread; see `bal plan` for their basis)" +
      (schedule.some((s) => s.run.estimateAtLeast) ? ". Runs marked >= are estimated without their acquisition (only other strategies measured), so their claims may come too early: `bal plan <experiment> --measure 1` measures them" : ""),
    "| # | experiment / profile | run | estimate | cumulative | claims decidable once it is done |",
    "| ---: | --- | --- | ---: | ---: | --- |",
  ];
  shown.forEach((s, i) => {
    const claims = s.decides.map((d) => d.replace(`${s.experiment} / ${s.profile}: `, "")).join("; ");
    lines.push(`| ${i + 1} | ${s.experiment} / ${s.profile} | ${s.run.label} | ${formatEstimate(s.run)} | ${s.cumulativeS === null ? "?" : `${formatHours(s.cumulativeS)} h`} | ${claims} |`);
  });
  return lines.join("\n");
}
