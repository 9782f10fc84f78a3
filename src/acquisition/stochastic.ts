// Stochastic batch acquisition (paper 002): perturb one-sample scores with Gumbel noise and take
// the top B. Adding Gumbel(0, 1) to beta * s and taking the top B samples B indices without
// replacement from softmax(beta * s) (the Gumbel-top-k trick), so beta = 1 / temperature and
// beta = 0 is uniform random acquisition.
//   softmax:  beta * s_i            + G_i
//   power:    beta * log s_i        + G_i   (scores clamped to > 0 first)
//   softrank: beta * log(1 / rank_i) + G_i  (rank 1 = highest score)
import { Rng } from "../seeding/rng";
import { topK } from "./scores";

export type StochasticKind = "softmax" | "power" | "softrank";
export const STOCHASTIC_KINDS: readonly StochasticKind[] = ["softmax", "power", "softrank"];

/** Smallest score kept before a logarithm (BALD can be exactly 0). */
const SCORE_FLOOR = 1e-12;

/** The log-weights whose softmax is the sampling distribution of `kind`. */
export function stochasticLogits(kind: StochasticKind, scores: ArrayLike<number>, beta: number): Float64Array {
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`stochastic acquisition: beta must be a finite number >= 0, got ${beta}`);
  const n = scores.length;
  const out = new Float64Array(n);
  if (kind === "softmax") {
    for (let i = 0; i < n; i++) out[i] = beta * scores[i];
  } else if (kind === "power") {
    for (let i = 0; i < n; i++) out[i] = beta * Math.log(Math.max(scores[i], SCORE_FLOOR));
  } else if (kind === "softrank") {
    const order = topK(scores, n);
    order.forEach((idx, r) => (out[idx] = -beta * Math.log(r + 1)));
  } else {
    throw new Error(`unknown stochastic acquisition '${kind}' (expected ${STOCHASTIC_KINDS.join(", ")})`);
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(out[i])) throw new Error(`stochastic acquisition: score ${i} is NaN`);
  return out;
}

/** k distinct indices sampled without replacement with probabilities softmax(logits) (Gumbel-top-k). */
export function gumbelTopK(logits: ArrayLike<number>, k: number, rng: Rng): number[] {
  const perturbed = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) perturbed[i] = logits[i] + rng.gumbel();
  return topK(perturbed, k);
}

/** One stochastic batch: the k acquired positions. */
export function stochasticBatch(kind: StochasticKind, scores: ArrayLike<number>, beta: number, k: number, rng: Rng): number[] {
  return gumbelTopK(stochasticLogits(kind, scores, beta), k, rng);
}
