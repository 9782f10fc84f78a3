// Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, composed from kernels it has.
// Without these the wasm backend (XNNPACK, the fast CPU path) can run a convnet forward but not
// train it ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
// The other kernels that gradients of our models need (Conv2DBackpropInput, MaxPoolGrad,
// AvgPoolGrad, FusedBatchNorm's pieces, ReluGrad via Step/Mul) are present in wasm 4.22.
import * as tf from "@tensorflow/tfjs";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

function asTensor(info: tf.TensorInfo): tf.Tensor {
  return info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * dW[kh,kw,ci,co] = sum_{b,oh,ow} xpad[b, oh*sh+kh, ow*sw+kw, ci] * dy[b,oh,ow,co].
 * That is a convolution of x with channels and batch swapped (ci becomes the batch, b the
 * channel) by dy used as a filter dilated by the stride, then transposed back.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: "floor" | "round" | "ceil",
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad as never, dimRoundingMode, false, "channelsLast");
    const { top, bottom, left, right } = info.padInfo;
    const [fh, fw, ci, co] = filterShape;
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [ci, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, B, co]
    const full = tf.conv2d(xT as tf.Tensor4D, dyT as tf.Tensor4D, 1,
      [[0, 0], [top, bottom], [left, right], [0, 0]], "NHWC", [info.strideHeight, info.strideWidth]);
    const cut = full.shape[1] === fh && full.shape[2] === fw ? full : tf.slice(full, [0, 0, 0, 0], [ci, fh, fw, co]);
    return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D; // [fh, fw, ci, co]
  });
}

/**
 * dx for a stride-1 convolution: the "full" convolution of dy with the filter flipped in space
 * and with in/out channels swapped. wasm's own Conv2DBackpropInput is a plain loop, ~5x slower
 * than its XNNPACK Conv2D; this routes the work through Conv2D.
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  pad: Pad,
  dimRoundingMode?: "floor" | "round" | "ceil",
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape, 1, 1, pad as never, dimRoundingMode, false, "channelsLast");
    const [fh, fw] = filter.shape;
    const [, H, W] = inputShape;
    const top = fh - 1 - info.padInfo.top;
    const left = fw - 1 - info.padInfo.left;
    const bottom = H - info.outHeight + fh - 1 - top;
    const right = W - info.outWidth + fw - 1 - left;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // [fh, fw, co, ci]
    return tf.conv2d(dy, flipped, 1, [[0, 0], [top, bottom], [left, right], [0, 0]], "NHWC");
  });
}

let registered = false;
const added: string[] = [];

/** Registers the missing gradient kernels for the wasm backend (idempotent). */
export function registerWasmGradientKernels(): string[] {
  if (registered) return added;
  registered = true;
  if (tf.getKernel("Conv2DBackpropFilter", "wasm") == null) {
    tf.registerKernel({
      kernelName: "Conv2DBackpropFilter",
      backendName: "wasm",
      kernelFunc: ({ inputs, attrs }) => {
        const a = attrs as unknown as {
          strides: [number, number] | number; pad: Pad; dataFormat: string;
          dimRoundingMode?: "floor" | "round" | "ceil"; filterShape: [number, number, number, number];
        };
        if (a.dataFormat !== "NHWC") throw new Error(`Conv2DBackpropFilter on wasm: dataFormat ${a.dataFormat} unsupported (NHWC only)`);
        const x = asTensor(inputs.x as tf.TensorInfo) as tf.Tensor4D;
        const dy = asTensor(inputs.dy as tf.TensorInfo) as tf.Tensor4D;
        return conv2dFilterGradient(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
      },
    });
    added.push("Conv2DBackpropFilter");
  }
  const original = tf.getKernel("Conv2DBackpropInput", "wasm");
  if (original) {
    tf.unregisterKernel("Conv2DBackpropInput", "wasm");
    tf.registerKernel({
      kernelName: "Conv2DBackpropInput",
      backendName: "wasm",
      kernelFunc: (args) => {
        const a = args.attrs as unknown as {
          strides: [number, number] | number; pad: Pad; dataFormat: string;
          dimRoundingMode?: "floor" | "round" | "ceil"; inputShape: [number, number, number, number];
        };
        const stride1 = typeof a.strides === "number" ? a.strides === 1 : a.strides.every((s) => s === 1);
        if (!stride1 || a.dataFormat !== "NHWC") return original.kernelFunc(args);
        const dy = asTensor(args.inputs.dy as tf.TensorInfo) as tf.Tensor4D;
        const filter = asTensor(args.inputs.filter as tf.TensorInfo) as tf.Tensor4D;
        return conv2dInputGradient(dy, filter, a.inputShape, a.pad, a.dimRoundingMode);
      },
    });
    added.push("Conv2DBackpropInput (stride 1, via Conv2D)");
  }
  return added;
}
