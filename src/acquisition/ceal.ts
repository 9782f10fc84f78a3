// CEAL (Wang et al. 2016; the survey's CEAL(Entropy)): besides the queried batch, pool points whose
// predictive entropy is below a threshold delta join the next training set with their predicted
// label. DeepAL+'s ceal.py starts delta at 5e-5 and lowers it by 0.033e-5 x t at round t; the
// survey's text gives a fixed 1e-5.
import { McProbs, meanProbs } from "./types";

/** The threshold at acquisition round `round` (from 1): delta0 - decay x (1 + 2 + ... + round). */
export function cealThreshold(delta0: number, decay: number, round: number): number {
  return delta0 - decay * (round * (round + 1)) / 2;
}

/**
 * Pseudo-labels: the candidates (positions) not in `exclude` whose entropy of the mean prediction
 * is below delta, each with its argmax class (first maximum wins). 0 log 0 counts as 0, or, with
 * `zeroGivesNaN` (DeepAL+'s ceal.py: probs * log(probs) with no epsilon), makes the entropy NaN, so a
 * point with an exactly-zero class probability is never pseudo-labelled.
 */
export function cealPseudoLabels(probs: McProbs, exclude: readonly number[], delta: number, zeroGivesNaN = false): { positions: number[]; labels: number[] } {
  const { N, C } = probs;
  const pbar = meanProbs(probs);
  const skip = new Set(exclude);
  const positions: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < N; i++) {
    if (skip.has(i)) continue;
    let h = 0, arg = 0;
    for (let c = 0; c < C; c++) {
      const p = pbar[i * C + c];
      if (p > 0) h -= p * Math.log(p);
      else if (zeroGivesNaN) h = NaN;
      if (p > pbar[i * C + arg]) arg = c;
    }
    if (h < delta) { positions.push(i); labels.push(arg); }
  }
  return { positions, labels };
}
