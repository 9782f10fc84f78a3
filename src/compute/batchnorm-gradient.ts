// tfjs's FusedBatchNorm gradient tiles 1/sqrt(var) to the full input shape before multiplying
// (a Tile kernel over N*H*W*C values, 40% of a NiN training step on wasm). Broadcasting gives the
// same numbers without the copy; everything else is tfjs-core's formula unchanged.
import * as tf from "@tensorflow/tfjs";

let registered = false;

export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  const quiet = console.warn;
  console.warn = () => undefined; // tfjs warns that the gradient is overridden; that is the point
  try {
    tf.registerGradient({
      kernelName: "FusedBatchNorm",
      inputsToSave: ["x", "mean", "variance", "scale"],
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
        const g = dy as tf.Tensor;
        const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
        const [x, mean, variance, scale] = saved;
        const scaleValue = scale == null ? tf.scalar(1) : scale;
        const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
        const reduce = (t: tf.Tensor) => (mean.rank === 1 ? tf.sum(t, axes) : t);
        const xMinusMean = tf.sub(x, mean);
        const dyTimesScale = tf.mul(g, scaleValue);
        const rstd = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
        const minusHalfRCube = tf.mul(tf.mul(tf.mul(rstd, rstd), rstd), tf.scalar(-0.5));
        return {
          x: () => tf.reshape(tf.mul(tf.mul(g, rstd), scaleValue), x.shape),
          mean: () => tf.reshape(reduce(tf.mul(tf.mul(rstd, tf.scalar(-1)), dyTimesScale)), mean.shape),
          variance: () => tf.reshape(reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)), mean.shape),
          scale: () => tf.reshape(reduce(tf.mul(g, tf.mul(xMinusMean, rstd))), mean.shape),
          offset: () => tf.reshape(reduce(g), mean.shape),
        };
      },
    });
  } finally {
    console.warn = quiet;
  }
}
