// The records of an active-learning run: its config (whose hash is the run's key), one record per
// step, the finished result and the checkpoint an interrupted run resumes from.
import { StrategyOptions } from "../acquisition/strategy";
import { ModelOptions } from "../models/types";
import { PoolSnapshot } from "../data/pool";
import { Provenance } from "../results/provenance";
import { RngState } from "../seeding/rng";
import { TrainConfig } from "../training/train";
import { TuningConfig, TuningResult } from "./tuning";

export interface AlRunConfig {
  experiment: string;
  dataset: string;
  model: string;
  strategy: string;
  seed: number;
  initialPerClass: number;
  validationSize: number;
  /** Number of acquisition steps (records: steps + 1, the first before any acquisition). */
  steps: number;
  acquireSize: number;
  /** Random pool subset scored each step (0: the whole pool). */
  poolSubset: number;
  /** Random test subset for accuracy and mutual information (0: the whole test set). */
  testSubset: number;
  /** Draw a fresh random test subset at every step (Pilz's code) instead of one per run (default false). */
  testSubsetPerStep?: boolean;
  /**
   * How test accuracy is predicted: "deterministic" (dropout off; Keras' evaluate, the default) or
   * "mc-mean" (argmax of the mean softmax over the test MC passes, Pilz's code).
   */
  testPrediction?: "deterministic" | "mc-mean";
  /** Keep only a random `poolSize` of the training examples left after the splits as the pool (0/unset: all; Gal's code: 40,000). */
  poolSize?: number;
  /** Options of the named model (initialiser, dropout rates). */
  modelOptions?: ModelOptions;
  /**
   * The initial set as fixed positions in the pool left after the validation set (BatchBALD's code:
   * `mnist_initial_samples`); its length must be initialPerClass x classes. Unset: balanced random.
   */
  initialPoolPositions?: number[];
  /** The initial labelled set: "balanced" (initialPerClass of each class, the default) or "random" (initialPerClass x classes drawn uniformly, DeepAL+). */
  initialSelection?: "balanced" | "random";
  /** The data split (validation, initial set, pool, test subset) from this seed instead of `seed`: one split shared by every run (paper 000's code). */
  splitSeed?: number;
  /**
   * "from-scratch" (default): a freshly initialised network every step. "continue": one network for
   * the whole run, trained further at every step from the previous step's weights with a new
   * optimiser (skorch re-fitting a module instance, paper 000's code).
   */
  retrain?: "from-scratch" | "continue";
  /** Batch norm in the acquisition MC passes (default "inference"; see McOptions.batchNorm) and their chunk size. */
  mcBatchNorm?: "inference" | "batch-statistics";
  mcBatchSize?: number;
  /** Variants of the strategies' scores (authors' code behaviours), passed to strategyByName. */
  strategyOptions?: StrategyOptions;
  /** MC-dropout passes. */
  T: number;
  /** MC passes for the test mutual information (default T; 0 skips it: testMeanMI is then NaN). */
  testMcPasses?: number;
  consistentMc: boolean;
  train: TrainConfig;
  /** Dropout rates and L2 weight C tuned on the validation set before the first acquisition (DEIMOS App. E; see ./tuning). */
  tuning?: TuningConfig;
}

export interface StepRecord {
  step: number;
  labelled: number;
  testAccuracy: number;
  /** Accuracy on the validation set (hyperparameter selection). */
  valAccuracy: number;
  /** Mean BALD over the test subset (NaN when testMcPasses is 0). */
  testMeanMI: number;
  /** Dataset indices acquired after this step's evaluation (empty on the last step). */
  acquired: number[];
  /** Mean symmetric KL between the predicted class distributions of the acquired batch (paper 004). */
  batchDiversity?: number;
  trainEpochs: number;
  /** Epoch whose weights were kept (-1: the final weights, no validation selection). */
  bestEpoch: number;
  /** Mean training loss of the last epoch (penalty included). */
  finalTrainLoss?: number;
  /**
   * Pool points the strategy pseudo-labelled after this step's query (CEAL): they join the next
   * step's training set with these labels; accuracy is against the true labels (never used in training).
   */
  pseudoLabelled?: { indices: number[]; labels: number[]; accuracy: number };
  valLoss: number;
  /** acquire = score (the strategy's model outputs: MC passes, embeddings, input gradients are inside select) + select + the batch-diversity probe. */
  seconds: { train: number; evaluate: number; acquire: number; score?: number; select?: number };
}

export interface RunResult {
  key: string;
  config: AlRunConfig;
  records: StepRecord[];
  backend: string;
  finishedAt: string;
  /** Code, backend, threads and host that produced the run (results written before 2026-11-28 lack it). */
  provenance?: Provenance;
  /** What `tuning` tried and chose (the run trained with the chosen values). */
  tuning?: TuningResult;
  /** The state before the last step, from which a run of this config with more steps continues (see ./extend). */
  resume?: ResumeState;
  /** This run continued a finished shorter run of the same config (see ./extend). */
  extendedFrom?: ExtendedFrom;
}

/** The state of a run before its last step: what a run of the same config with more steps resumes from (see ./extend). */
export interface ResumeState {
  rng: RngState;
  strategyState?: unknown;
}

/** Which shorter run an extended run started from, and whether its recomputed last step came out the same. */
export interface ExtendedFrom {
  key: string;
  steps: number;
  /** The recomputed step `steps` equals the shorter run's record (accuracies, losses, epochs); false: another backend or code. */
  lastStepIdentical: boolean;
}

export interface Checkpoint {
  key: string;
  pool: PoolSnapshot;
  records: StepRecord[];
  rng: RngState;
  /** retrain "continue": every weight of the network after the last finished step (float32, base64). */
  weights?: string;
  /** The strategy's state after the last finished step (e.g. DEIMOS' fixed tau_s). */
  strategyState?: unknown;
  /** The tuning's outcome (config.tuning), so that a resumed run trains with the same values. */
  tuning?: TuningResult;
  /** An extended run's origin, kept until its result is written. */
  extendedFrom?: ExtendedFrom;
}
