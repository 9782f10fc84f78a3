// A paper's claim decided from our runs: the verdict vocabulary every notebook and the README use,
// and the small rules every experiment's claims share.

export type ClaimVerdict = "reproduced" | "not reproduced" | "not comparable (reduced profile)" | "not enough runs yet" | "not decidable within this budget";

export interface Claim {
  claim: string;
  paper: string;
  ours: string;
  /** Runs behind "ours": finished / planned per strategy involved. */
  runs: string;
  verdict: ClaimVerdict;
}

/**
 * The verdict of a claim: reduced profiles are never comparable; every run the claim needs must be
 * finished; `holds` answers true / false, or null when the budget ends before the answer is known.
 */
export function decideClaim(reduced: boolean, complete: boolean, holds: () => boolean | null): ClaimVerdict {
  if (reduced) return "not comparable (reduced profile)";
  if (!complete) return "not enough runs yet";
  const h = holds();
  return h === null ? "not decidable within this budget" : h ? "reproduced" : "not reproduced";
}

/** a < b for budgets where ∞ means "beyond the budget": decided unless neither got there. */
export function fewer(a: number, b: number): boolean | null {
  return Number.isFinite(a) ? a < b : Number.isFinite(b) ? false : null;
}
