// ResNet-18 as the survey's learner (paper 001, DeepAL+'s nets.py): torchvision's resnet18 with the
// first layer per dataset, built as one functional feature extractor (the residual graph) inside a
// sequential [features, (MC dropout), linear classifier], so the MC passes run the extractor once
// and the penultimate embedding is the 512-d average-pooled feature.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";
import { BayesianModel, ModelOptions } from "./types";
import { McDropout, newDropoutControl } from "./dropout";

/**
 * "mnist": DeepAL+'s MNIST_Net: a 1x1 conv (1 -> 3 channels, with bias) in front of the unchanged
 * torchvision resnet18 (7x7 stride-2 conv, max-pool 3 stride 2): 28 -> 14 -> 7 -> 7 -> 4 -> 2 -> 1.
 * "cifar": CIFAR10_Net: the first conv replaced by 3x3 stride 1 (no bias); the max-pool stays as in
 * DeepAL+'s code (kuangliu's PyTorch-CIFAR ResNet, which the paper cites, has none: `maxPool: false`).
 */
export type ResNetStem = "mnist" | "cifar";


const BN = { axis: -1, momentum: 0.9, epsilon: 1e-5 } as const;

/** torchvision's init of its own convolutions: kaiming_normal_(mode="fan_out", relu). */
function kaimingFanOut(rng: Rng, filters: number, kernel: number) {
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / (filters * kernel * kernel)), seed: rng.seed() });
}

/** PyTorch's default Conv2d / Linear init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias. */
function pytorchDefault(rng: Rng, fanIn: number) {
  const b = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -b, maxval: b, seed: rng.seed() });
}

/** PyTorch's Conv2d(padding=p): explicit zero padding, then a valid convolution (tfjs "same" pads asymmetrically at stride 2). */
function conv(x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, pad: number, rng: Rng): tf.SymbolicTensor {
  const padded = pad > 0 ? tf.layers.zeroPadding2d({ padding: pad }).apply(x) as tf.SymbolicTensor : x;
  return tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding: "valid", useBias: false, kernelInitializer: kaimingFanOut(rng, filters, kernel) }).apply(padded) as tf.SymbolicTensor;
}

const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization(BN).apply(x) as tf.SymbolicTensor;
const relu = (x: tf.SymbolicTensor) => tf.layers.activation({ activation: "relu" }).apply(x) as tf.SymbolicTensor;

/** torchvision's BasicBlock: conv3x3(stride)-BN-ReLU-conv3x3-BN, plus the (1x1 conv + BN when shapes change) shortcut, then ReLU. */
function basicBlock(x: tf.SymbolicTensor, filters: number, stride: number, rng: Rng): tf.SymbolicTensor {
  const inChannels = x.shape[x.shape.length - 1] as number;
  let h = relu(bn(conv(x, filters, 3, stride, 1, rng)));
  h = bn(conv(h, filters, 3, 1, 1, rng));
  const shortcut = stride !== 1 || inChannels !== filters ? bn(conv(x, filters, 1, stride, 0, rng)) : x;
  return relu(tf.layers.add().apply([h, shortcut]) as tf.SymbolicTensor);
}

/** The feature extractor: stem, four stages of two BasicBlocks (64, 128, 256, 512), global average pool. */
function features(stem: ResNetStem, inputShape: number[], rng: Rng, maxPool: boolean): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let h: tf.SymbolicTensor;
  if (stem === "mnist") {
    const toRgb = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: true, kernelInitializer: pytorchDefault(rng, inputShape[2]), biasInitializer: pytorchDefault(rng, inputShape[2]) }).apply(input) as tf.SymbolicTensor;
    h = relu(bn(conv(toRgb, 64, 7, 2, 3, rng)));
  } else {
    const padded = tf.layers.zeroPadding2d({ padding: 1 }).apply(input) as tf.SymbolicTensor;
    const fanIn = inputShape[2] * 9;
    h = relu(bn(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: "valid", useBias: false, kernelInitializer: pytorchDefault(rng, fanIn) }).apply(padded) as tf.SymbolicTensor));
  }
  // Max-pool 3, stride 2, padding 1: after a ReLU, zero padding equals PyTorch's -inf padding.
  if (maxPool) h = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "valid" }).apply(tf.layers.zeroPadding2d({ padding: 1 }).apply(h)) as tf.SymbolicTensor;
  [64, 128, 256, 512].forEach((filters, stage) => {
    h = basicBlock(h, filters, stage === 0 ? 1 : 2, rng);
    h = basicBlock(h, filters, 1, rng);
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: pooled, name: `resnet18_${stem}_features_${rng.seed()}` });
}

/**
 * ResNet-18 with a linear classifier on the 512-d pooled features. `options.dropout` = [p] puts one
 * MC-dropout layer (rate p) before the classifier; DeepAL+'s network has none (options.dropout
 * unset or []), so its "MC dropout" passes differ only through batch norm.
 */
export function resnet18(stem: ResNetStem, rng: Rng, numClasses = 10, options: ModelOptions = {}): BayesianModel {
  const inputShape = stem === "mnist" ? [28, 28, 1] : [32, 32, 3];
  if (options.init !== undefined && options.init !== "pytorch") throw new Error(`resnet18-${stem}: modelOptions.init '${options.init}' is not supported (torchvision's initialisation is built in)`);
  const rates = options.dropout ?? [];
  if (rates.length > 1) throw new Error(`resnet18-${stem}: modelOptions.dropout has ${rates.length} rates; the network has at most one dropout layer (before the classifier)`);
  const control = newDropoutControl();
  const layers: tf.layers.Layer[] = [features(stem, inputShape, rng, options.maxPool ?? true)];
  if (rates.length === 1) layers.push(new McDropout(rates[0], control, 0));
  const init = pytorchDefault(rng, 512);
  layers.push(tf.layers.dense({ units: numClasses, kernelInitializer: init, biasInitializer: pytorchDefault(rng, 512) }));
  const net = tf.sequential({ layers });
  return { name: `ResNet-18 (${stem} stem${rates.length ? `, dropout ${rates[0]} before the classifier` : ""})`, net, dropout: control, inputShape, numClasses };
}
