// Pairwise win-tie-loss counts (the survey's Table 3): for every pair of methods and every
// comparison unit both have (dataset x seed), A wins when its score beats B's by more than the
// margin, loses when B's beats A's by more than the margin, and ties otherwise.

/** Score differences within this much of the margin count as ties (float noise). */
export const WIN_TOLERANCE = 1e-9;

export interface WinTieLoss { win: number; tie: number; loss: number }

/** scores: method -> unit -> score. Returns method -> opponent -> counts, over the units both have. */
export function winTieLoss(scores: ReadonlyMap<string, ReadonlyMap<string, number>>, margin: number): Map<string, Map<string, WinTieLoss>> {
  if (!(margin >= 0)) throw new Error(`winTieLoss: margin ${margin} must be >= 0`);
  const out = new Map<string, Map<string, WinTieLoss>>();
  for (const [a, sa] of scores) {
    const row = new Map<string, WinTieLoss>();
    for (const [b, sb] of scores) {
      if (a === b) continue;
      const c: WinTieLoss = { win: 0, tie: 0, loss: 0 };
      for (const [unit, x] of sa) {
        const y = sb.get(unit);
        if (y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
        if (x - y > margin + WIN_TOLERANCE) c.win++;
        else if (y - x > margin + WIN_TOLERANCE) c.loss++;
        else c.tie++;
      }
      row.set(b, c);
    }
    out.set(a, row);
  }
  return out;
}

/** Totals per method over all opponents, ranked by wins minus losses (then wins). */
export function winTieLossTotals(table: ReadonlyMap<string, ReadonlyMap<string, WinTieLoss>>): { method: string; total: WinTieLoss; rank: number }[] {
  const rows = [...table].map(([method, row]) => {
    const total: WinTieLoss = { win: 0, tie: 0, loss: 0 };
    for (const c of row.values()) { total.win += c.win; total.tie += c.tie; total.loss += c.loss; }
    return { method, total, rank: 0 };
  });
  rows.sort((p, q) => (q.total.win - q.total.loss) - (p.total.win - p.total.loss) || q.total.win - p.total.win || p.method.localeCompare(q.method));
  rows.forEach((r, i) => { r.rank = i > 0 && rows[i - 1].total.win - rows[i - 1].total.loss === r.total.win - r.total.loss && rows[i - 1].total.win === r.total.win ? rows[i - 1].rank : i + 1; });
  return rows;
}
