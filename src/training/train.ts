// Training from scratch with AdamW, full-batch or mini-batch, keeping the weights with the
// lowest validation loss (Pilz's protocol). Dropout masks come from the run's generator.
import * as tf from "@tensorflow/tfjs";
import { breathe } from "../compute/read";
import { BayesianModel } from "../models/types";
import { Rng } from "../seeding/rng";
import { AdamW, AdamWConfig } from "./adamw";

export type LossName = "softmax-cross-entropy" | "mse";

/**
 * An L2 penalty added to the loss, as Keras' `W_regularizer=l2(lambda)`: lambda * sum(W^2) over
 * the kernels (not biases) of the chosen dense layers, with lambda = c / N for N training points
 * (Gal et al.'s code; DEIMOS App. E). "hidden-dense": every dense layer but the output layer.
 */
export interface L2Penalty {
  c: number;
  /** "all": every trainable weight, biases included (PyTorch's Adam(weight_decay=w) is the penalty w/2 * sum(theta^2)). */
  layers: "hidden-dense" | "dense" | "all";
  /** true: lambda = c whatever the training-set size (DEIMOS' 1-D regression, lambda = 5e-4). Default: lambda = c / N. */
  fixed?: boolean;
}

export interface TrainConfig {
  epochs: number;
  /** 0 means full batch. */
  batchSize: number;
  optimizer: Partial<AdamWConfig>;
  /** Stop after this many epochs without a better validation loss (0: never stop early). */
  patience: number;
  loss: LossName;
  /**
   * Examples per epoch: the shuffled training set is cycled up to this length, so tiny labelled
   * sets still get enough optimiser steps per epoch (BatchBALD's RandomFixedLengthSampler).
   * Unset or 0: one pass over the training set.
   */
  epochSamples?: number;
  /**
   * Keep the weights of the epoch with the lowest validation loss (Pilz's protocol; default).
   * false: train the fixed number of epochs, keep the final weights, never evaluate validation loss.
   */
  keepBestValidation?: boolean;
  /** Coupled L2 penalty (default none); usually with optimizer.weightDecay 0 (plain Adam). */
  l2?: L2Penalty;
  /**
   * Shuffle the examples every epoch (default true). false: batches in the training set's order,
   * the same every epoch (skorch's default iterator, paper 000's code).
   */
  shuffle?: boolean;
  /** Random augmentation of every training batch (torchvision's RandomCrop(padding) and RandomHorizontalFlip(0.5)). */
  augment?: AugmentConfig;
  /**
   * Validation loss from K MC dropout samples (the NLL of their geometric mean, renormalised: paper 002's
   * code uses K = 4) instead of one pass with dropout off (default). Softmax cross-entropy only.
   */
  validationMcSamples?: number;
}

export interface AugmentConfig {
  /** Pad each side by this many pixels with `padValue`, then crop back to the input size at a uniform offset (0: no crop). */
  cropPadding: number;
  /** Flip left-right with probability 0.5. */
  horizontalFlip: boolean;
  /**
   * The padding value per channel in the network's input units: torchvision pads raw pixels with 0
   * before normalising, i.e. (0 - mean_c) / std_c here.
   */
  padValue: number[];
}

/** One augmented copy of a batch [B][H][W][C] (random offsets and flips from the run's generator). */
export function augmentBatch(x: Float32Array, shape: readonly number[], a: AugmentConfig, rng: Rng): Float32Array {
  const [B, H, W, C] = shape;
  if (a.padValue.length !== C) throw new Error(`augment: padValue has ${a.padValue.length} values for ${C} channels`);
  const out = new Float32Array(x.length);
  const p = a.cropPadding;
  for (let b = 0; b < B; b++) {
    const dy = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const dx = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const flip = a.horizontalFlip && rng.uniform() < 0.5;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        // Output pixel (i, j) of the (flipped) crop reads source pixel (i + dy, j' + dx) of the padded image.
        const sj = (flip ? W - 1 - j : j) + dx;
        const si = i + dy;
        const inside = si >= 0 && si < H && sj >= 0 && sj < W;
        for (let c = 0; c < C; c++) {
          out[((b * H + i) * W + j) * C + c] = inside ? x[((b * H + si) * W + sj) * C + c] : a.padValue[c];
        }
      }
    }
  }
  return out;
}

export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  bestValLoss: number;
  finalTrainLoss: number;
}

export interface TensorPair {
  x: tf.Tensor;
  y: tf.Tensor;
}

function lossOf(name: LossName, y: tf.Tensor, out: tf.Tensor): tf.Scalar {
  return name === "mse" ? tf.losses.meanSquaredError(y, out) : tf.losses.softmaxCrossEntropy(y, out);
}

/**
 * Loss of the deterministic network (dropout off, batch norm in inference mode), in chunks; with `mcSeeds`,
 * the NLL of the renormalised geometric mean of one MC dropout pass per seed (masks per example).
 */
export async function evaluateLoss(model: BayesianModel, data: TensorPair, loss: LossName, chunk = 2048, mcSeeds?: readonly number[]): Promise<number> {
  if (mcSeeds && loss !== "softmax-cross-entropy") throw new Error(`validationMcSamples: needs the softmax-cross-entropy loss, not '${loss}'`);
  const prev = { mode: model.dropout.mode, seed: model.dropout.seed, consistent: model.dropout.consistent, chunk: model.dropout.chunk };
  model.dropout.mode = mcSeeds ? "mc" : "off";
  model.dropout.consistent = false;
  const n = data.x.shape[0];
  let total = 0;
  for (let s = 0; s < n; s += chunk) {
    const size = Math.min(chunk, n - s);
    model.dropout.chunk = s;
    const part = tf.tidy(() => {
      const x = data.x.slice(s, size);
      if (!mcSeeds) return lossOf(loss, data.y.slice(s, size), model.net.apply(x, { training: false }) as tf.Tensor).mul(size);
      // The geometric mean of the K samples' probabilities, renormalised: softmax of the mean log-softmax.
      let sumLog: tf.Tensor | null = null;
      for (const seed of mcSeeds) {
        model.dropout.seed = seed;
        const logp = tf.logSoftmax(model.net.apply(x, { training: false }) as tf.Tensor);
        sumLog = sumLog ? tf.add(sumLog, logp) : logp;
      }
      return lossOf(loss, data.y.slice(s, size), tf.div(sumLog!, mcSeeds.length)).mul(size);
    });
    total += (await part.data())[0];
    part.dispose();
  }
  Object.assign(model.dropout, prev);
  return total / n;
}

function trainableVariables(model: BayesianModel): tf.Variable[] {
  return model.net.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The kernels an L2 penalty applies to. */
export function penalisedKernels(model: BayesianModel, penalty: L2Penalty): tf.Variable[] {
  if (penalty.layers === "all") return trainableVariables(model);
  const dense = model.net.layers.filter((l) => l.getClassName() === "Dense");
  const chosen = penalty.layers === "hidden-dense" ? dense.slice(0, -1) : dense;
  if (chosen.length === 0) throw new Error(`L2 penalty on '${penalty.layers}': ${model.name} has no such layer`);
  return chosen.map((l) => l.trainableWeights[0].read() as tf.Variable);
}

/** lambda * sum of squared kernel entries, lambda = c / n. */
export function l2PenaltyValue(kernels: readonly tf.Tensor[], c: number, n: number): tf.Scalar {
  // Pairwise adds, not tf.addN: tfjs' webgpu AddN binds every input as a storage buffer and fails
  // (a WebGPU validation error) past 7 inputs under the default limit of 8, e.g. the 8 kernels and
  // biases of the RepeatedMNIST network.
  return tf.tidy(() => tf.mul(c / n, kernels.map((k) => tf.sum(tf.square(k))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
}

/** The example order of one epoch (null: the whole set as one batch, in order). */
function epochOrder(n: number, batch: number, epochSamples: number, shuffle: boolean, rng: Rng): number[] | null {
  if (batch >= n && epochSamples <= n) return null;
  const all = Array.from({ length: n }, (_, i) => i);
  const order: number[] = [];
  do order.push(...(shuffle ? rng.shuffle(all) : all)); while (order.length < epochSamples);
  return epochSamples > n ? order.slice(0, epochSamples) : order;
}

export async function trainModel(model: BayesianModel, train: TensorPair, val: TensorPair | null, config: TrainConfig, rng: Rng): Promise<TrainResult> {
  const n = train.x.shape[0];
  const perEpoch = Math.max(n, config.epochSamples ?? 0);
  const batch = config.batchSize > 0 ? Math.min(config.batchSize, perEpoch) : perEpoch;
  const vars = trainableVariables(model);
  const penalised = config.l2 ? penalisedKernels(model, config.l2) : [];
  const opt = new AdamW(config.optimizer);
  let best: tf.Tensor[] | null = null;
  let bestValLoss = Infinity;
  let bestEpoch = -1;
  let lastLoss = NaN;
  let epoch = 0;
  // Augmentation works on a host copy of the inputs (one read per fit; no synchronous reads on webgpu).
  const hostX = config.augment ? ((await train.x.data()) as Float32Array) : null;
  const row = train.x.shape.slice(1).reduce((a, b) => a * b, 1);
  model.dropout.mode = "train";
  try {
    for (epoch = 0; epoch < config.epochs; epoch++) {
      const order = epochOrder(n, batch, config.epochSamples ?? 0, config.shuffle ?? true, rng);
      const steps = order ? order.length : n;
      // The epoch's summed loss stays on the device and is read once per epoch.
      let epochLoss: tf.Scalar = tf.scalar(0);
      for (let s = 0; s < steps; s += batch) {
        const size = Math.min(batch, steps - s);
        model.dropout.seed = rng.seed();
        const batchLoss = tf.tidy(() => {
          let xb = train.x;
          let yb = train.y;
          if (order) {
            const idx = tf.tensor1d(order.slice(s, s + size), "int32");
            xb = tf.gather(train.x, idx);
            yb = tf.gather(train.y, idx);
          }
          if (config.augment) {
            const rows = order ? order.slice(s, s + size) : Array.from({ length: size }, (_, i) => i);
            const host = new Float32Array(size * row);
            rows.forEach((r, i) => host.set(hostX!.subarray(r * row, (r + 1) * row), i * row));
            xb = tf.tensor(augmentBatch(host, xb.shape, config.augment, rng), xb.shape);
          }
          const { value, grads } = tf.variableGrads(() => {
            const data = lossOf(config.loss, yb, model.net.apply(xb, { training: true }) as tf.Tensor);
            return config.l2 ? tf.add(data, l2PenaltyValue(penalised, config.l2.c, config.l2.fixed ? 1 : n)) as tf.Scalar : data;
          }, vars);
          opt.step(vars, grads);
          return tf.mul(value, size) as tf.Scalar;
        });
        const sum = tf.add(epochLoss, batchLoss) as tf.Scalar;
        tf.dispose([epochLoss, batchLoss]);
        epochLoss = sum;
        // Within the epoch too: one epoch of 24,576 samples takes about a minute on one wasm thread, longer than
        // a SIGTERM may wait (Slurm's KillWait: 30 s) to release the run locks.
        await breathe();
      }
      lastLoss = (await epochLoss.data())[0] / steps;
      epochLoss.dispose();
      await breathe(); // signals and the lock heartbeat between epochs
      if (val) {
        // K fresh pass seeds per evaluation from the run's generator (only when asked: other runs draw nothing here).
        const mcSeeds = config.validationMcSamples ? Array.from({ length: config.validationMcSamples }, () => rng.seed()) : undefined;
        const vl = await evaluateLoss(model, val, config.loss, 2048, mcSeeds);
        model.dropout.mode = "train";
        if (vl < bestValLoss) {
          bestValLoss = vl;
          bestEpoch = epoch;
          best?.forEach((t) => t.dispose());
          best = vars.map((v) => tf.clone(v));
        } else if (config.patience > 0 && epoch - bestEpoch >= config.patience) {
          epoch++;
          break;
        }
      }
    }
    if (best) vars.forEach((v, i) => v.assign(best![i]));
  } finally {
    best?.forEach((t) => t.dispose());
    opt.dispose();
    model.dropout.mode = "off";
  }
  return { epochs: epoch, bestEpoch, bestValLoss, finalTrainLoss: lastLoss };
}
