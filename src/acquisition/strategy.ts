// One interface for every query strategy (scikit-activeml's style): given what the model said
// about the candidates, return the positions (into the candidate list) of the k to label.
import { Rng } from "../seeding/rng";
import { randomScores, ScoreFunction, SCORE_FUNCTIONS, topK } from "./scores";
import { McProbs } from "./types";

export interface SelectionContext {
  /** MC probabilities of the candidates, when the strategy asked for them. */
  probs: McProbs | null;
  /** Number of candidates. */
  n: number;
  rng: Rng;
  /** Acquisition round, from 1. */
  round: number;
}

export interface Strategy {
  name: string;
  needsProbs: boolean;
  select(ctx: SelectionContext, k: number): number[];
}

/** Top-k of a score function. */
export function scoreStrategy(name: string, score: ScoreFunction): Strategy {
  return {
    name,
    needsProbs: true,
    select(ctx, k) {
      if (!ctx.probs) throw new Error(`strategy ${name} needs MC probabilities`);
      return topK(score(ctx.probs), k);
    },
  };
}

export const randomStrategy: Strategy = {
  name: "random",
  needsProbs: false,
  select: (ctx, k) => topK(randomScores(ctx.n, ctx.rng), k),
};

export type GalStrategyName = keyof typeof SCORE_FUNCTIONS | "random";

export function strategyByName(name: string): Strategy {
  if (name === "random") return randomStrategy;
  const fn = (SCORE_FUNCTIONS as Record<string, ScoreFunction>)[name];
  if (!fn) throw new Error(`unknown strategy '${name}': expected one of random, ${Object.keys(SCORE_FUNCTIONS).join(", ")}`);
  return scoreStrategy(name, fn);
}
