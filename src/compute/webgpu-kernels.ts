// Faster programs for the kernels that dominate training on tfjs-backend-webgpu 4.22, composed
// from kernels it runs well. Measured on an H200 (README "GPU path"): Conv2DBackpropFilter took
// 60-94% of a training step's GPU time, because its Conv2DDerFilterProgram runs one thread per
// filter weight, each looping serially over batch x output rows x output columns (LeNet-5's first
// layer: 150 threads of ~800,000 iterations at 1,020 images).
//
// Here the filter gradient is an im2col product: the KH x KW shifted (strided) views of the padded
// input, stacked into patches [B*OH*OW, KH*KW*CI], times dy [B*OH*OW, CO] with the patches
// transposed. tfjs-webgpu runs a product with a small output and a long shared dimension as a
// split-K matmul (the reduction spread over workgroups), so the long serial loop disappears. The
// patches cost KH*KW slices and one stack (LeNet-5 at 1,020 images: ~59 MB), well inside a GPU.
import * as tf from "@tensorflow/tfjs";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

function asTensor(info: tf.TensorInfo): tf.Tensor {
  return info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * dW[kh,kw,ci,co] = sum_{b,oh,ow} xpad[b, oh*sh + kh*dh, ow*sw + kw*dw, ci] * dy[b,oh,ow,co], as
 * patches^T x dy (dilation 1 and NHWC, as every network here; other cases are not handled).
 */
export function conv2dFilterGradientIm2col(
  x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: number | [number, number], pad: Pad,
  dimRoundingMode?: "floor" | "round" | "ceil",
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad as never, dimRoundingMode, false, "channelsLast");
    const { top, bottom, left, right } = info.padInfo;
    const [fh, fw, ci, co] = filterShape;
    const [b] = x.shape;
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
    const xp = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const views: tf.Tensor[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const end = [b, kh + (oh - 1) * sh + 1, kw + (ow - 1) * sw + 1, ci];
        views.push(sh === 1 && sw === 1 ? tf.slice(xp, [0, kh, kw, 0], [b, oh, ow, ci]) : tf.stridedSlice(xp, [0, kh, kw, 0], end, [1, sh, sw, 1]));
      }
    }
    // [B, OH, OW, KH*KW, CI] -> rows (b, oh, ow), columns (kh, kw, ci): the filter's own flattening.
    const patches = tf.reshape(tf.stack(views, 3), [b * oh * ow, fh * fw * ci]);
    const product = tf.matMul(patches, tf.reshape(dy, [b * oh * ow, co]), true, false);
    return tf.reshape(product, [fh, fw, ci, co]) as tf.Tensor4D;
  });
}

let added: string[] | null = null;

/** Replaces webgpu's Conv2DBackpropFilter (idempotent; call after the webgpu backend is registered). Returns what it added. */
export function registerWebGpuKernels(): string[] {
  if (added) return added;
  added = [];
  const original = tf.getKernel("Conv2DBackpropFilter", "webgpu");
  if (!original) return added;
  tf.unregisterKernel("Conv2DBackpropFilter", "webgpu");
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter", backendName: "webgpu",
    kernelFunc: (args) => {
      const a = args.attrs as unknown as {
        strides: [number, number] | number; pad: Pad; dataFormat: string; dilations?: number | [number, number];
        dimRoundingMode?: "floor" | "round" | "ceil"; filterShape: [number, number, number, number];
      };
      const dilated = a.dilations !== undefined && (typeof a.dilations === "number" ? a.dilations !== 1 : a.dilations.some((d) => d !== 1));
      if (a.dataFormat !== "NHWC" || dilated) return original.kernelFunc(args);
      return conv2dFilterGradientIm2col(asTensor(args.inputs.x as tf.TensorInfo) as tf.Tensor4D, asTensor(args.inputs.dy as tf.TensorInfo) as tf.Tensor4D,
        a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    },
  });
  added.push("Conv2DBackpropFilter (im2col + split-K matmul)");
  return added;
}
