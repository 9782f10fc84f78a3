// Seeds per strategy: a reference profile may cut the seeds of some strategies (the compute plan of
// its runs) while the others keep the profile's list; runs, planned counts and claims all read them here.

export interface SeedPlan {
  seeds: number[];
  /** Seeds of the named strategies where they differ from `seeds` (each a non-empty subset of it). */
  seedsByStrategy?: Record<string, number[]>;
}

/** The seeds a strategy is run with. */
export function seedsOf(plan: SeedPlan, strategy: string): number[] {
  return plan.seedsByStrategy?.[strategy] ?? plan.seeds;
}

/** The strategies (of `strategies`, in their order) that run with `seed`. */
export function strategiesWithSeed(plan: SeedPlan, strategies: readonly string[], seed: number): string[] {
  return strategies.filter((s) => seedsOf(plan, s).includes(seed));
}

/**
 * Finished runs against planned ones, per strategy, for claims: `complete(s)` when all of s's seeds
 * have a run, `runs([a, b])` the runs column ("BALD 3/3, ME 1/1").
 */
export function runCoverage(plan: SeedPlan, groups: ReadonlyMap<string, readonly unknown[]>, label: (strategy: string) => string) {
  const finished = (s: string) => groups.get(s)?.length ?? 0;
  return {
    complete: (s: string) => finished(s) >= seedsOf(plan, s).length,
    runs: (strategies: readonly string[]) => strategies.map((s) => `${label(s)} ${finished(s)}/${seedsOf(plan, s).length}`).join(", "),
  };
}

/** Errors naming the field: every key a strategy of the profile, every list a non-empty subset of `seeds`. */
export function checkSeedPlan(plan: SeedPlan, strategies: readonly string[], where: string): void {
  for (const [s, list] of Object.entries(plan.seedsByStrategy ?? {})) {
    if (!strategies.includes(s)) throw new Error(`${where}.seedsByStrategy: '${s}' is not a strategy of this profile (${strategies.join(", ")})`);
    if (!Array.isArray(list) || list.length === 0 || list.some((x) => !plan.seeds.includes(x))) {
      throw new Error(`${where}.seedsByStrategy.${s}: expected a non-empty subset of seeds [${plan.seeds.join(", ")}], got ${JSON.stringify(list)}`);
    }
  }
}

/** "3 seeds (1, 2, 3); ME, VR: seed 1" for protocol tables. */
export function describeSeedPlan(plan: SeedPlan, label: (strategy: string) => string = (s) => s): string {
  const base = `${plan.seeds.length} seed${plan.seeds.length === 1 ? "" : "s"} (${plan.seeds.join(", ")})`;
  const byList = new Map<string, string[]>();
  for (const [s, list] of Object.entries(plan.seedsByStrategy ?? {})) {
    const k = list.join(", ");
    byList.set(k, [...(byList.get(k) ?? []), label(s)]);
  }
  const cuts = [...byList].map(([list, names]) => `${names.join(", ")}: seed${list.includes(",") ? "s" : ""} ${list} only`);
  return cuts.length ? `${base}; ${cuts.join("; ")}` : base;
}
