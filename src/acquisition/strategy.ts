// One interface for every query strategy (scikit-activeml's style): given what the model said
// about the candidates, return the positions (into the candidate list) of the k to label.
import { Rng } from "../seeding/rng";
import { randomScores, ScoreFunction, SCORE_FUNCTIONS, topK } from "./scores";
import { batchBald, DEFAULT_BATCHBALD_CONFIGS } from "./batchbald";
import { deimosClassificationBatch, deimosTauSInv } from "./deimos";
import { greedyKCenter } from "./diversity";
import { epig, subsetProbs } from "./epig";
import {
  COMBINATION_PARAMETER, CombinationName, combineScores, DEFAULT_DISCRIMINATOR, diversityScores, DiversityName, scaledUncertainty, standardise,
  twoStageNegatedArgsort, twoStageQuery, UncertaintyName, VarRatioScale,
} from "./hybrid";
import { stochasticBatch, StochasticKind } from "./stochastic";
import { InputGradientModel, McProbs } from "./types";
import { badgeSelect } from "./badge";
import { cealPseudoLabels, cealThreshold } from "./ceal";
import { kmeansSelect, sklearnLocalTrials } from "./kmeans";
import { pcaProject } from "./pca";
import { bimAttack, deepFoolAttack } from "./adversarial";

export interface SelectionContext {
  /** MC probabilities of the candidates, when the strategy asked for them. */
  probs: McProbs | null;
  /** Number of candidates. */
  n: number;
  rng: Rng;
  /** Acquisition round, from 1. */
  round: number;
  /**
   * MC probabilities, from the same passes (masks) as `probs`, of the labelled points that DEIMOS'
   * sample set draws (App. D: X_samp sampled from X_train ∪ X_pool; see labelledInSampleSet).
   */
  labelledProbs?: McProbs;
  /** Deterministic embeddings of the candidates and of the labelled set, when asked for. */
  embeddings?: { candidates: Float32Array; labelled: Float32Array; dim: number };
  /** MC probabilities of the validation set from the current model (computed on first call), when asked for. */
  validationProbs?: () => Promise<McProbs>;
  /** The trained network seen from its inputs, and the candidates' inputs (needsInputGradients). */
  inputModel?: InputGradientModel;
  candidateInputs?: Float32Array;
}

export interface Strategy {
  name: string;
  needsProbs: boolean;
  /** Needs one dropout mask per pass shared by all inputs (joint predictions: BatchBALD, EPIG). */
  needsConsistentMc?: boolean;
  /** Needs embeddings of candidates and labelled points (k-center, diversity metrics). */
  needsEmbeddings?: "logits" | "penultimate";
  /** Reads the sampled labelled points' MC probabilities from the candidates' passes (ctx.labelledProbs). */
  needsLabelledProbs?: boolean;
  /** Reads the validation set's MC probabilities (ctx.validationProbs). */
  needsValidationProbs?: boolean;
  /**
   * What ctx.probs holds: "mc" (default: T MC-dropout passes) or "deterministic" (one pass with
   * dropout off, T = 1: the survey's plain LeastConf / Margin / Entropy, BADGE, CEAL).
   */
  predictions?: "mc" | "deterministic";
  /** Reads ctx.inputModel and ctx.candidateInputs (adversarial strategies). */
  needsInputGradients?: boolean;
  /** Positions of the k candidates to label (a promise where the strategy reads from the compute backend). */
  select(ctx: SelectionContext, k: number): number[] | Promise<number[]>;
  /**
   * Candidates (positions, never the picked ones) that join the next training set with a predicted
   * label, and those labels (CEAL); called after select with the same context.
   */
  pseudoLabels?(ctx: SelectionContext, picked: readonly number[]): { positions: number[]; labels: number[] };
  /** State carried from one round to the next (checkpointed with the run, restored on resume). */
  state?(): unknown;
  restore?(state: unknown): void;
}

/**
 * Variants of the scores that reproduce an authors' code (each defaults to what the paper says):
 * the variation ratio's scale, the two-stage query's ordering, the discriminator's batch order.
 */
export interface StrategyOptions {
  varRatioScale?: VarRatioScale;
  twoStage?: "top-k" | "negated-argsort";
  discriminatorBatches?: "shuffled" | "in-order";
}

export const randomStrategy: Strategy = {
  name: "random",
  needsProbs: false,
  select: (ctx, k) => topK(randomScores(ctx.n, ctx.rng), k),
};

export type GalStrategyName = keyof typeof SCORE_FUNCTIONS | "random";

/** Splits "softmax-bald(beta=4)" into its base name and numeric parameters. */
export function parseStrategyName(full: string): { base: string; params: Record<string, number> } {
  const m = /^([a-z-]+)(?:\(([^)]*)\))?$/.exec(full);
  if (!m) throw new Error(`unknown strategy '${full}': expected a name or name(key=value,...)`);
  const params: Record<string, number> = {};
  for (const part of (m[2] ?? "").split(",").filter((x) => x.trim() !== "")) {
    const [key, value] = part.split("=").map((x) => x.trim());
    const v = Number(value);
    if (!key || value === undefined || value === "" || !Number.isFinite(v)) {
      throw new Error(`strategy '${full}': parameter '${part}' is not key=number`);
    }
    params[key] = v;
  }
  return { base: m[1], params };
}

function checkParams(full: string, params: Record<string, number>, allowed: string[]): void {
  for (const k of Object.keys(params)) {
    if (!allowed.includes(k)) throw new Error(`strategy '${full}': unknown parameter '${k}' (expected ${allowed.join(", ") || "none"})`);
  }
}

/**
 * Default tau_s^-1 of classification DEIMOS as a fraction of the initial model's average dropout
 * variance across classes on the validation set (paper 004 App. E: 0.001-0.01).
 */
export const DEFAULT_DEIMOS_TAU_FRACTION = 0.005;

/** Diversity-only baselines of the hybrid study (top-k of a diversity score). */
const DIVERSITY_BASELINES: Record<string, DiversityName> = { discriminator: "disc", "posterior-variance": "gp", "min-distance": "mindist" };

function standardisedEmbeddings(name: string, ctx: SelectionContext) {
  const e = ctx.embeddings;
  if (!e) throw new Error(`strategy ${name} needs embeddings`);
  return { ...standardise(e.candidates, e.labelled, e.dim), dim: e.dim };
}

/** Default number of EPIG target inputs drawn from the candidates. */
export const DEFAULT_EPIG_TARGETS = 100;

function scoreFunctionByName(name: string, params: Record<string, number>): { fn: (ctx: SelectionContext) => Float64Array | Promise<Float64Array>; consistent: boolean } | null {
  if (name === "epig") {
    const targets = params.targets ?? DEFAULT_EPIG_TARGETS;
    return {
      consistent: true,
      fn: (ctx) => {
        const probs = ctx.probs!;
        const m = Math.min(targets, probs.N);
        const targetIdx = ctx.rng.sample(Array.from({ length: probs.N }, (_, i) => i), m);
        return epig(probs, subsetProbs(probs, targetIdx));
      },
    };
  }
  const fn = (SCORE_FUNCTIONS as Record<string, ScoreFunction>)[name];
  if (!fn) return null;
  return { fn: (ctx) => fn(ctx.probs!), consistent: false };
}

/**
 * Every query strategy by name:
 *   random | <score> (top-k; score: max-entropy, bald, variation-ratio, mean-std, least-confidence,
 *   margin, epig(targets=100)) | <softmax|power|softrank>-<score>(beta=1) (stochastic batch, paper
 *   002) | batchbald(M=10000) (greedy BatchBALD) | deimos(tau=0.005) (classification DEIMOS, tau_s^-1 as
 *   a fraction of the mean class variance) | kcenter (greedy core-set on penultimate activations) |
 *   discriminator | posterior-variance | min-distance (diversity on standardised logits) |
 *   hybrid-<entropy|bald|vr>-<disc|gp|mindist>-<arith|geo(alpha=)|decay-arith|decay-geo(beta=)|ufirst|dfirst(gamma=)> |
 *   the survey's catalogue (paper 001, see surveyStrategy): plain-<score>, ceal-<score>(delta=,decay=), kmeans(restarts=),
 *   kcenter-pca(dims=), badge, adversarial-bim(eps=,iters=), adversarial-deepfool(iters=,last=).
 */
export function strategyByName(full: string, options: StrategyOptions = {}): Strategy {
  const { base, params } = parseStrategyName(full);
  const discriminator = { ...DEFAULT_DISCRIMINATOR, batches: options.discriminatorBatches ?? DEFAULT_DISCRIMINATOR.batches };
  const twoStage = options.twoStage === "negated-argsort" ? twoStageNegatedArgsort : twoStageQuery;
  if (base === "random") {
    checkParams(full, params, []);
    return { ...randomStrategy, name: full };
  }
  if (base === "batchbald") {
    checkParams(full, params, ["M"]);
    const maxConfigs = params.M ?? DEFAULT_BATCHBALD_CONFIGS;
    return {
      name: full, needsProbs: true, needsConsistentMc: true,
      select: async (ctx, k) => (await batchBald(ctx.probs!, k, { maxConfigs, rng: ctx.rng })).indices,
    };
  }
  if (base === "deimos") {
    checkParams(full, params, ["tau", "labelled"]);
    const fraction = params.tau ?? DEFAULT_DEIMOS_TAU_FRACTION;
    // The sample set X_samp holds labelled points besides the candidates (App. D draws it from X_train ∪ X_pool); labelled=0: candidates only.
    const withLabelled = (params.labelled ?? 1) !== 0;
    if (params.labelled !== undefined && params.labelled !== 0 && params.labelled !== 1) throw new Error(`strategy '${full}': labelled must be 0 or 1, got ${params.labelled}`);
    // tau_s is a constant in classification (App. E): fixed at the first round from the initial model.
    let tauSInv: number | null = null;
    return {
      name: full, needsProbs: true, needsConsistentMc: true, needsValidationProbs: true, needsLabelledProbs: withLabelled,
      select: async (ctx, k) => {
        if (tauSInv === null) {
          if (!ctx.validationProbs) throw new Error(`strategy ${full} needs the validation set's MC probabilities (ctx.validationProbs)`);
          tauSInv = deimosTauSInv(await ctx.validationProbs(), fraction);
        }
        if (withLabelled && !ctx.labelledProbs) throw new Error(`strategy ${full} needs the labelled points' MC probabilities (ctx.labelledProbs)`);
        return deimosClassificationBatch(ctx.probs!, k, tauSInv, withLabelled ? ctx.labelledProbs : undefined).picked;
      },
      state: () => ({ tauSInv }),
      restore: (s) => {
        const v = (s as { tauSInv?: unknown } | null)?.tauSInv;
        if (v === null) tauSInv = null;
        else if (typeof v === "number" && v > 0) tauSInv = v;
        else throw new Error(`strategy ${full}: checkpointed tauSInv ${JSON.stringify(v)} is not a positive number`);
      },
    };
  }
  if (base === "kcenter") {
    checkParams(full, params, []);
    return {
      name: full, needsProbs: false, needsEmbeddings: "penultimate",
      select: (ctx, k) => {
        const e = ctx.embeddings;
        if (!e) throw new Error(`strategy ${full} needs embeddings`);
        return greedyKCenter(e.candidates, e.labelled, e.dim, k);
      },
    };
  }
  const catalogue = surveyStrategy(full, base, params);
  if (catalogue) return catalogue;
  const diversityOnly = DIVERSITY_BASELINES[base];
  if (diversityOnly) {
    checkParams(full, params, []);
    return {
      name: full, needsProbs: false, needsEmbeddings: "logits",
      select: async (ctx, k) => {
        const e = standardisedEmbeddings(full, ctx);
        return topK(await diversityScores(diversityOnly, e.candidates, e.labelled, e.dim, ctx.rng, discriminator), k);
      },
    };
  }
  const hybrid = /^hybrid-(entropy|bald|vr)-(disc|gp|mindist)-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base);
  if (hybrid) {
    const [u, dName, comb] = [hybrid[1] as UncertaintyName, hybrid[2] as DiversityName, hybrid[3] as CombinationName];
    const param = COMBINATION_PARAMETER[comb].name;
    checkParams(full, params, [param]);
    if (params[param] === undefined) throw new Error(`strategy '${full}': needs ${param}=<number>`);
    return {
      name: full, needsProbs: true, needsEmbeddings: "logits",
      select: async (ctx, k) => {
        const e = standardisedEmbeddings(full, ctx);
        const U = scaledUncertainty(u, ctx.probs!, options.varRatioScale);
        const D = await diversityScores(dName, e.candidates, e.labelled, e.dim, ctx.rng, discriminator);
        if (comb === "ufirst") return twoStage(U, D, k, params[param]);
        if (comb === "dfirst") return twoStage(D, U, k, params[param]);
        return topK(combineScores(comb, U, D, params[param], ctx.round), k);
      },
    };
  }
  const stochastic = /^(softmax|power|softrank)-(.+)$/.exec(base);
  if (stochastic) {
    checkParams(full, params, ["beta", "targets"]);
    const score = scoreFunctionByName(stochastic[2], params);
    if (score) {
      const beta = params.beta ?? 1;
      return {
        name: full, needsProbs: true, needsConsistentMc: score.consistent,
        select: async (ctx, k) => stochasticBatch(stochastic[1] as StochasticKind, await score.fn(ctx), beta, k, ctx.rng),
      };
    }
  }
  const score = scoreFunctionByName(base, params);
  if (!score) {
    throw new Error(`unknown strategy '${full}': expected random, batchbald, deimos, kcenter, kcenter-pca, kmeans, badge, adversarial-bim, adversarial-deepfool, plain-<score>, ceal-<score>, discriminator, posterior-variance, min-distance, hybrid-..., one of ${[...Object.keys(SCORE_FUNCTIONS), "epig"].join(", ")}, ` +
      `or softmax-/power-/softrank- followed by one of them`);
  }
  checkParams(full, params, base === "epig" ? ["targets"] : []);
  return { name: full, needsProbs: true, needsConsistentMc: score.consistent, select: async (ctx, k) => topK(await score.fn(ctx), k) };
}

/** Default cap on BIM iterations (DeepAL+ loops until the prediction flips, with no cap). */
export const DEFAULT_BIM_ITERATIONS = 100;

/** ctx.embeddings or a clear error. */
function embeddingsOf(name: string, ctx: SelectionContext) {
  if (!ctx.embeddings) throw new Error(`strategy ${name} needs embeddings`);
  return ctx.embeddings;
}

/**
 * The survey's strategies that the other papers did not need (paper 001, DeepAL+):
 *   plain-<score>: the score on one deterministic pass (dropout off) instead of T MC passes
 *     (LeastConf, Margin, Entropy; the survey's VarRatio, 1 - max p, is plain-least-confidence);
 *   ceal-<score>(delta=1e-5,decay=0,nan=0): top-k of plain-<score>, and every other candidate whose
 *     predictive entropy is below delta - decay x (1 + ... + round) is pseudo-labelled for the next fit
 *     (nan=1: an exactly-zero class probability makes the entropy NaN, never below delta, as DeepAL+'s code);
 *   kmeans(restarts=10,greedy=0): k-means (k = batch size) on penultimate embeddings, the point nearest each
 *     centre; greedy=1 seeds each restart as scikit-learn's KMeans does (greedy k-means++, 2 + ln k trials);
 *   kcenter-pca(dims=32): greedy k-center after PCA of the candidates' and labelled points' embeddings;
 *   badge: k-means++ seeding on gradient embeddings (p - onehot(yhat)) (x) h;
 *   adversarial-bim(eps=0.05,iters=100) / adversarial-deepfool(iters=50,last=0): the k smallest
 *     perturbations that flip the prediction (last=1: DeepAL+'s DeepFool step, see deepFoolAttack).
 * Returns null for any other name.
 */
function surveyStrategy(full: string, base: string, params: Record<string, number>): Strategy | null {
  const plain = /^plain-(.+)$/.exec(base);
  const ceal = /^ceal-(.+)$/.exec(base);
  if (plain || ceal) {
    const scoreName = (plain ?? ceal)![1];
    const fn = (SCORE_FUNCTIONS as Record<string, ScoreFunction>)[scoreName];
    if (!fn) throw new Error(`strategy '${full}': '${scoreName}' is not a score (expected one of ${Object.keys(SCORE_FUNCTIONS).join(", ")})`);
    if (plain) {
      checkParams(full, params, []);
      return { name: full, needsProbs: true, predictions: "deterministic", select: (ctx, k) => topK(fn(ctx.probs!), k) };
    }
    checkParams(full, params, ["delta", "decay", "nan"]);
    const delta = params.delta ?? 1e-5, decay = params.decay ?? 0, nan = params.nan ?? 0;
    if (!(delta > 0) || decay < 0) throw new Error(`strategy '${full}': needs delta > 0 and decay >= 0`);
    if (nan !== 0 && nan !== 1) throw new Error(`strategy '${full}': nan must be 0 or 1, got ${nan}`);
    return {
      name: full, needsProbs: true, predictions: "deterministic",
      select: (ctx, k) => topK(fn(ctx.probs!), k),
      pseudoLabels: (ctx, picked) => cealPseudoLabels(ctx.probs!, picked, cealThreshold(delta, decay, ctx.round), nan === 1),
    };
  }
  if (base === "kmeans") {
    checkParams(full, params, ["restarts", "greedy"]);
    const restarts = params.restarts ?? 10, greedy = params.greedy ?? 0;
    if (greedy !== 0 && greedy !== 1) throw new Error(`strategy '${full}': greedy must be 0 or 1, got ${greedy}`);
    return {
      name: full, needsProbs: false, needsEmbeddings: "penultimate",
      select: async (ctx, k) => {
        const e = embeddingsOf(full, ctx);
        return kmeansSelect(e.candidates, e.dim, k, ctx.rng, { restarts, localTrials: greedy ? sklearnLocalTrials(k) : undefined });
      },
    };
  }
  if (base === "kcenter-pca") {
    checkParams(full, params, ["dims"]);
    const dims = params.dims ?? 32;
    return {
      name: full, needsProbs: false, needsEmbeddings: "penultimate",
      select: (ctx, k) => {
        const e = embeddingsOf(full, ctx);
        const all = new Float32Array(e.candidates.length + e.labelled.length);
        all.set(e.candidates);
        all.set(e.labelled, e.candidates.length);
        const { data, dim } = pcaProject(all, e.dim, dims, ctx.rng);
        const split = e.candidates.length / e.dim * dim;
        return greedyKCenter(data.subarray(0, split), data.subarray(split), dim, k);
      },
    };
  }
  if (base === "badge") {
    checkParams(full, params, []);
    return {
      name: full, needsProbs: true, predictions: "deterministic", needsEmbeddings: "penultimate",
      select: (ctx, k) => { const e = embeddingsOf(full, ctx); return badgeSelect(ctx.probs!.data, ctx.probs!.C, e.candidates, e.dim, k, ctx.rng); },
    };
  }
  if (base === "adversarial-bim" || base === "adversarial-deepfool") {
    const bim = base === "adversarial-bim";
    checkParams(full, params, bim ? ["eps", "iters"] : ["iters", "last"]);
    const iters = params.iters ?? (bim ? DEFAULT_BIM_ITERATIONS : 50);
    const eps = params.eps ?? 0.05;
    return {
      name: full, needsProbs: false, needsInputGradients: true,
      select: async (ctx, k) => {
        if (!ctx.inputModel || !ctx.candidateInputs) throw new Error(`strategy ${full} needs the model's input gradients (ctx.inputModel, ctx.candidateInputs)`);
        const { sqNorm } = bim ? await bimAttack(ctx.inputModel, ctx.candidateInputs, eps, iters)
          : await deepFoolAttack(ctx.inputModel, ctx.candidateInputs, iters, params.last ? "last-class" : "minimum");
        return topK(Array.from(sqNorm, (v) => -v), k);
      },
    };
  }
  return null;
}
