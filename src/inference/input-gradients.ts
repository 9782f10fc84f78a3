// A trained network as an InputGradientModel (deterministic forward, gradients with respect to the
// input) for the adversarial strategies; chunked so a large candidate set never builds one huge graph.
import * as tf from "@tensorflow/tfjs";
import { InputGradientModel } from "../acquisition/types";
import { readTidy } from "../compute/read";
import { BayesianModel } from "../models/types";

export function inputGradientModel(model: BayesianModel, chunk = 256): InputGradientModel {
  const inputSize = model.inputShape.reduce((a, b) => a * b, 1);
  const C = model.numClasses;
  const forward = (x: tf.Tensor) => model.net.apply(x, { training: false }) as tf.Tensor2D;
  const chunked = async (x: Float32Array, each: (xs: tf.Tensor, s: number, size: number) => tf.Tensor, width: number): Promise<Float32Array> => {
    const n = x.length / inputSize;
    const out = new Float32Array(n * width);
    model.dropout.mode = "off";
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      out.set(await readTidy(() => each(tf.tensor(x.subarray(s * inputSize, (s + size) * inputSize), [size, ...model.inputShape]), s, size)), s * width);
    }
    return out;
  };
  return {
    numClasses: C,
    inputSize,
    logits: (x) => chunked(x, (xs) => forward(xs), C),
    // Rows are independent in inference mode, so the gradient of the summed selected logits gives each row's own gradient.
    logitGradients: (x, classes) => chunked(x, (xs, s, size) => {
      const mask = tf.oneHot(tf.tensor1d(classes.subarray(s, s + size), "int32"), C).toFloat();
      return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(forward(input), mask)))(xs);
    }, inputSize),
    lossGradients: (x, labels) => chunked(x, (xs, s, size) => {
      const target = tf.oneHot(tf.tensor1d(labels.subarray(s, s + size), "int32"), C).toFloat();
      return tf.grad((input: tf.Tensor) => tf.neg(tf.sum(tf.mul(tf.logSoftmax(forward(input)), target))))(xs);
    }, inputSize),
  };
}
