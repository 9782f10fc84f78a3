// DEIMOS' published numbers: Table 2 (MNIST 7 vs 9, single-point acquisitions to reach a test accuracy).


/** Paper 004 Table 2 (MNIST 7 vs 9, single-point acquisitions to reach a test accuracy). */
export const PAPER_TABLE2: Record<string, Record<string, number>> = {
  "0.95": { deimos: 20, bald: 23, "max-entropy": 21, random: 48, kcenter: 24 },
  "0.96": { deimos: 24, bald: 25, "max-entropy": 31, random: 55, kcenter: 39 },
  "0.97": { deimos: 27, bald: 39, "max-entropy": 39, random: 113, kcenter: 58 },
  "0.975": { deimos: 41, bald: 67, "max-entropy": 58, random: 158, kcenter: 58 },
};

/** Table 2's bottom row: App. C's LMM p-values of each baseline against DEIMOS. */
export const PAPER_P_VALUES: Record<string, string> = { bald: "2.3e-21", "max-entropy": "4.1e-11", random: "5.2e-133", kcenter: "7.7e-46" };

/** Figure 3's caption: App. C's p-values of DEIMOS against the named baselines, batch size 25. */
export const PAPER_FIG3_P_VALUES: Record<string, Record<string, string>> = {
  "7v9-batch25": { random: "4.4e-11", kcenter: "1.9e-11" },
  "0-9-batch25": { random: "9e-3", "max-entropy": "3e-3" },
};
