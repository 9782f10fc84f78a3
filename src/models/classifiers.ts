// Image classifiers with MC dropout. Every model outputs logits (no softmax layer): the hybrid
// strategies use them as the embedding, and the loss uses a stable log-softmax.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";
import { McDropout, newDropoutControl } from "./dropout";
import { initialiseLikePyTorch } from "./init";
import { resnet18 } from "./resnet";
import { BayesianModel, ModelFactory, ModelName, ModelOptions } from "./types";

export { BayesianModel, ModelFactory, ModelName, ModelOptions } from "./types";

/** Seeded initialisers: every weight tensor gets its own seed drawn from the run's generator. */
function inits(rng: Rng) {
  return { kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }), biasInitializer: "zeros" as const };
}

class Builder {
  readonly layers: tf.layers.Layer[] = [];
  readonly dropout = newDropoutControl();
  private nDrop = 0;
  constructor(private readonly rng: Rng, private readonly options: ModelOptions = {}) {}
  conv(filters: number, kernel: number, padding: "same" | "valid", inputShape?: number[]) {
    this.layers.push(tf.layers.conv2d({ filters, kernelSize: kernel, padding, activation: "relu", inputShape, ...inits(this.rng) }));
    return this;
  }
  /** Zero padding of `p` pixels on every side (PyTorch's Conv2d(padding=p) for p other than "same"). */
  zeroPad(p: number, inputShape?: number[]) {
    this.layers.push(tf.layers.zeroPadding2d({ padding: p, inputShape }));
    return this;
  }
  /**
   * Convolution with bias, batch norm with PyTorch's defaults (eps 1e-5, momentum 0.1, which is
   * tfjs' momentum 0.9), then ReLU: the authors' blocks of paper 000.
   */
  convBnRelu(filters: number, kernel: number, padding: "same" | "valid", inputShape?: number[]) {
    this.layers.push(tf.layers.conv2d({ filters, kernelSize: kernel, padding, inputShape, ...inits(this.rng) }));
    this.layers.push(tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 }));
    this.layers.push(tf.layers.activation({ activation: "relu" }));
    return this;
  }
  /** Convolution with bias and no activation (the MNIST network's output layer). */
  convLinear(filters: number, kernel: number) {
    this.layers.push(tf.layers.conv2d({ filters, kernelSize: kernel, padding: "valid", activation: "linear", ...inits(this.rng) }));
    return this;
  }
  maxPool(size: number) {
    this.layers.push(tf.layers.maxPooling2d({ poolSize: size, strides: size }));
    return this;
  }
  pool() {
    this.layers.push(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    return this;
  }
  flatten() {
    this.layers.push(tf.layers.flatten());
    return this;
  }
  dense(units: number, activation: "relu" | "linear", inputShape?: number[]) {
    this.layers.push(tf.layers.dense({ units, activation, inputShape, ...inits(this.rng) }));
    return this;
  }
  drop(rate: number, channelwise = false) {
    const chosen = this.options.dropout?.[this.nDrop] ?? rate;
    this.layers.push(new McDropout(chosen, this.dropout, this.nDrop++, channelwise));
    return this;
  }
  relu() {
    this.layers.push(tf.layers.activation({ activation: "relu" }));
    return this;
  }
  build(name: string, inputShape: number[], numClasses: number): BayesianModel {
    const { dropout, init = "glorot" } = this.options;
    if (dropout && dropout.length !== this.nDrop) {
      throw new Error(`${name}: modelOptions.dropout has ${dropout.length} rates, but the network has ${this.nDrop} dropout layers`);
    }
    const net = tf.sequential({ layers: this.layers });
    if (init === "pytorch") initialiseLikePyTorch(net, this.rng);
    else if (init !== "glorot") throw new Error(`${name}: unknown modelOptions.init '${init}' (expected glorot or pytorch)`);
    return { name, net, dropout: this.dropout, inputShape, numClasses };
  }
}

/**
 * LeNet-5 as in Pilz's text (003, Table 1): dropout .5 on the 400-d input of fc1 and .25 on the
 * 120-d input of fc2 (his code has them the other way round: modelOptions.dropout = [0.25, 0.5]).
 * 61,706 parameters for 28x28x1 input and 10 classes.
 */
export function lenet5(rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  return new Builder(rng, options)
    .conv(6, 5, "same", [28, 28, 1]).pool()
    .conv(16, 5, "valid").pool()
    .flatten().drop(0.5)
    .dense(120, "relu").drop(0.25)
    .dense(84, "relu")
    .dense(numClasses, "linear")
    .build("LeNet-5", [28, 28, 1], numClasses);
}

/**
 * LeNet-5 with dropout before every fully-connected layer (DEIMOS §3.2: "trained with dropout
 * preceding all fully-connected layers"): .5 before fc1, .25 before fc2 and before the output layer.
 */
export function lenet5FcDropout(rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  return new Builder(rng, options)
    .conv(6, 5, "same", [28, 28, 1]).pool()
    .conv(16, 5, "valid").pool()
    .flatten().drop(0.5)
    .dense(120, "relu").drop(0.25)
    .dense(84, "relu").drop(0.25)
    .dense(numClasses, "linear")
    .build("LeNet-5 (dropout before every dense layer)", [28, 28, 1], numClasses);
}

/**
 * BatchBALD's BayesianMNISTCNN (batchbald_redux example_models.py), the network of paper 002's code:
 * conv 32 5x5 -> channel dropout .5 -> max-pool -> ReLU -> conv 64 5x5 -> channel dropout .5 ->
 * max-pool -> ReLU -> dense 128 -> dropout .5 -> ReLU -> dense 10. 184,586 parameters.
 */
export function bayesianMnistCnn(rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  const linear = (filters: number, inputShape?: number[]) =>
    tf.layers.conv2d({ filters, kernelSize: 5, padding: "valid", activation: "linear", inputShape, ...inits(rng) });
  const b = new Builder(rng, options);
  b.layers.push(linear(32, [28, 28, 1]));
  b.drop(0.5, true).pool().relu();
  b.layers.push(linear(64));
  b.drop(0.5, true).pool().relu().flatten();
  b.layers.push(tf.layers.dense({ units: 128, activation: "linear", ...inits(rng) }));
  return b.drop(0.5).relu().dense(numClasses, "linear").build("BayesianMNISTCNN (BatchBALD)", [28, 28, 1], numClasses);
}

/** Gal et al.'s Keras CNN: conv32-4x4, conv32-4x4, maxpool, dropout .25, dense 128, dropout .5, dense 10. */
export function kerasCnn(rng: Rng, numClasses = 10, inputShape: number[] = [28, 28, 1], options: ModelOptions = {}): BayesianModel {
  return new Builder(rng, options)
    .conv(32, 4, "valid", inputShape).conv(32, 4, "valid").pool().drop(0.25)
    .flatten().dense(128, "relu").drop(0.5)
    .dense(numClasses, "linear")
    .build("Keras CNN (Gal et al.)", inputShape, numClasses);
}

/**
 * The MNIST network of paper 000's code (RL-LBAM/DBALHQ cnn_model.py, ConvNNMNIST): conv 3x3 with
 * padding 3 to 64 channels (28 -> 32) + BN + ReLU + dropout .25 + max-pool 4 (-> 8), conv 3x3
 * padding 1 to 128 + BN + ReLU + dropout .25 + max-pool 4 (-> 2), conv 2x2 to 10 (-> 1x1), no BN
 * or ReLU on the logits. 80,010 trainable parameters (+ 384 batch-norm statistics).
 */
export function dbalhqMnist(rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  return new Builder(rng, options)
    .zeroPad(3, [28, 28, 1]).convBnRelu(64, 3, "valid").drop(0.25).maxPool(4)
    .convBnRelu(128, 3, "same").drop(0.25).maxPool(4)
    .convLinear(numClasses, 2).flatten()
    .build("DBALHQ MNIST CNN", [28, 28, 1], numClasses);
}

/**
 * The CIFAR-10 network of paper 000's code (ConvNNCIFAR10): five blocks [conv 3x3 padding 1 + BN +
 * ReLU + dropout 0.1 + max-pool 2] with 64 / 128 / 256 / 512 / 10 channels (32 -> 1), so the 10
 * logits themselves pass BN, ReLU and dropout. 1,599,006 trainable parameters (+ 1,940 statistics).
 */
export function dbalhqCifar10(rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  const b = new Builder(rng, options);
  [64, 128, 256, 512, numClasses].forEach((filters, i) => b.convBnRelu(filters, 3, "same", i === 0 ? [32, 32, 3] : undefined).drop(0.1).maxPool(2));
  return b.flatten().build("DBALHQ CIFAR-10 CNN", [32, 32, 3], numClasses);
}

/** A ReLU MLP with dropout after every hidden layer (classifier or, with numOutputs = 1, regressor). */
export function mlp(rng: Rng, inputDim: number, hidden: number[], numOutputs: number, dropout: number, options: ModelOptions = {}): BayesianModel {
  const b = new Builder(rng, options);
  hidden.forEach((units, i) => {
    b.dense(units, "relu", i === 0 ? [inputDim] : undefined);
    if (dropout > 0) b.drop(dropout);
  });
  b.dense(numOutputs, "linear", hidden.length === 0 ? [inputDim] : undefined);
  return b.build(`MLP [${hidden.join(", ")}]`, [inputDim], numOutputs);
}

export type ImageModelName = Exclude<ModelName, "mlp">;

export const MODEL_FACTORIES: Record<ImageModelName, (rng: Rng, options?: ModelOptions) => BayesianModel> = {
  lenet5: (rng, o) => lenet5(rng, 10, o),
  "keras-cnn": (rng, o) => kerasCnn(rng, 10, [28, 28, 1], o),
  "bayesian-mnist-cnn": (rng, o) => bayesianMnistCnn(rng, 10, o),
  "dbalhq-mnist": (rng, o) => dbalhqMnist(rng, 10, o),
  "dbalhq-cifar10": (rng, o) => dbalhqCifar10(rng, 10, o),
  "resnet18-mnist": (rng, o) => resnet18("mnist", rng, 10, o),
  "resnet18-cifar": (rng, o) => resnet18("cifar", rng, 10, o),
};

/** The factory of a named image model with a run's options (an error names the unknown model). */
export function imageModel(name: string, options?: ModelOptions): ModelFactory {
  const f = MODEL_FACTORIES[name as ImageModelName];
  if (!f) throw new Error(`unknown model '${name}' (expected one of ${Object.keys(MODEL_FACTORIES).join(", ")})`);
  return (rng) => f(rng, options);
}

export function countParameters(model: BayesianModel): number {
  return model.net.countParams();
}

export function disposeModel(model: BayesianModel): void {
  model.net.dispose();
}
