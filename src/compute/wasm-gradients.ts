// Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, composed from kernels it has.
// Without these the wasm backend (XNNPACK, the fast CPU path) can run a convnet forward but not
// train it ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
// Kernels it has but runs as slow plain loops are replaced where our models' training spends its
// time (profiled with tf.profile on one training step): a transposed BatchMatMul (the dense layers'
// gradients: 80-90 ms for a [128,3872]x[128,128] product, ~100x its untransposed speed),
// MaxPoolGrad (60 ms for [128,22,22,32]) and, where scoring a pool spends it, Slice (it copied its
// whole input to take a slice: `make bench-mc-factored`). AvgPoolGrad, FusedBatchNorm's pieces and
// ReluGrad (via Step/Mul) are used as wasm 4.22 has them.
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

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * Slice by copying only the sliced elements, heap to heap. wasm 4.22's Slice first copies the whole
 * input out of the heap (`readSync`): slicing a 2,048-image chunk off a 112,000-image pool copied all
 * 351 MB, and each 128-image block off a chunk's features 38 MB. The output is the same, element for element.
 */
function sliceOnHeap(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  // Views are taken after makeOutput: allocating may grow (and detach) the wasm memory.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // The longest contiguous run: the last axes taken whole, and the partial one before them.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const index = new Array<number>(inner).fill(0);
  for (let o = 0; o < total; o += run) {
    let at = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) at += (begin[d] + index[d]) * strides[d];
    to.set(from.subarray(at, at + run), o);
    for (let d = inner - 1; d >= 0 && ++index[d] === size[d]; d--) index[d] = 0;
  }
  return out;
}

/**
 * MaxPoolGrad as the cpu backend defines it: each output's gradient goes to the first maximum of
 * its window in row-major order. Reads and writes the wasm heap directly (a JS loop, ~10x the
 * speed of wasm 4.22's kernel).
 */
function maxPoolGradOnHeap(backend: WasmBackendLike, dyInfo: tf.TensorInfo, xInfo: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const out = backend.makeOutput(xInfo.shape, "float32");
  // Views are taken after makeOutput: allocating may grow (and detach) the wasm memory.
  const dx = backend.typedArrayFromHeap(out);
  const x = backend.typedArrayFromHeap(xInfo);
  const dy = backend.typedArrayFromHeap(dyInfo);
  dx.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && dh === 1 && dw === 1 && top === 0 && left === 0 && OH * 2 <= H && OW * 2 <= W) {
    maxPool2x2GradOnHeap(dx, x, dy, batchSize, H, W, C, OH, OW);
    return out;
  }
  const best = new Float64Array(C);
  const at = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let r = 0; r < OH; r++) {
      const r0 = r * sh - top;
      let rMin = r0;
      while (rMin < 0) rMin += dh;
      const rMax = Math.min(H, r0 + fh);
      for (let c = 0; c < OW; c++) {
        const c0 = c * sw - left;
        let cMin = c0;
        while (cMin < 0) cMin += dw;
        const cMax = Math.min(W, c0 + fw);
        const dyOff = ((b * OH + r) * OW + c) * C;
        // Channels are contiguous: track each channel's maximum while walking the window once.
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let xr = rMin; xr < rMax; xr += dh) {
          for (let xc = cMin; xc < cMax; xc += dw) {
            const base = xb + (xr * W + xc) * C;
            for (let d = 0; d < C; d++) {
              const v = x[base + d];
              if (v > best[d]) { best[d] = v; at[d] = base + d; }
            }
          }
        }
        for (let d = 0; d < C; d++) if (at[d] >= 0) dx[at[d]] += dy[dyOff + d];
      }
    }
  }
  return out;
}

/** The common 2x2, stride 2, unpadded case (every pool of our models): four compares per output. */
function maxPool2x2GradOnHeap(dx: Float32Array, x: Float32Array, dy: Float32Array, B: number, H: number, W: number, C: number, OH: number, OW: number): void {
  const row = W * C;
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < OH; r++) {
      for (let c = 0; c < OW; c++) {
        const i00 = b * H * row + 2 * r * row + 2 * c * C;
        for (let d = 0; d < C; d++, o++) {
          // The first maximum in row-major window order wins ties, as on the cpu backend.
          let at = i00 + d;
          let best = x[at];
          const i01 = at + C, i10 = at + row, i11 = at + row + C;
          if (x[i01] > best) { best = x[i01]; at = i01; }
          if (x[i10] > best) { best = x[i10]; at = i10; }
          if (x[i11] > best) at = i11;
          dx[at] += dy[o];
        }
      }
    }
  }
}

let registered = false;
const added: string[] = [];
const replaced = new Map<string, tf.KernelFunc>();

/** wasm's own kernel `name` that ours replaced (for benches: the baseline in the same run). */
export function replacedWasmKernel(name: string): tf.KernelFunc | undefined {
  return replaced.get(name);
}

/** Replaces wasm's own kernel `name` (when it has one) by `make(its kernel function)`. */
function replaceKernel(name: string, label: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tf.getKernel(name, "wasm");
  if (!original) return;
  replaced.set(name, original.kernelFunc);
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: make(original.kernelFunc) });
  added.push(label);
}

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
  replaceKernel("Conv2DBackpropInput", "Conv2DBackpropInput (stride 1, via Conv2D)", (original) => (args) => {
    const a = args.attrs as unknown as {
      strides: [number, number] | number; pad: Pad; dataFormat: string;
      dimRoundingMode?: "floor" | "round" | "ceil"; inputShape: [number, number, number, number];
    };
    const stride1 = typeof a.strides === "number" ? a.strides === 1 : a.strides.every((s) => s === 1);
    if (!stride1 || a.dataFormat !== "NHWC") return original(args);
    const dy = asTensor(args.inputs.dy as tf.TensorInfo) as tf.Tensor4D;
    const filter = asTensor(args.inputs.filter as tf.TensorInfo) as tf.Tensor4D;
    return conv2dInputGradient(dy, filter, a.inputShape, a.pad, a.dimRoundingMode);
  });
  replaceKernel("BatchMatMul", "BatchMatMul (transposed operands transposed first)", (original) => (args) => {
    const a = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!a.transposeA && !a.transposeB) return original(args);
    // Transpose explicitly (XNNPACK's transpose is fast), then the fast untransposed product.
    const flip = (info: tf.TensorInfo, yes: boolean) => {
      const t = asTensor(info);
      const r = t.rank;
      return yes ? tf.transpose(t, [...Array(r - 2).keys(), r - 1, r - 2]) : t;
    };
    const at = flip(args.inputs.a as tf.TensorInfo, a.transposeA);
    const bt = flip(args.inputs.b as tf.TensorInfo, a.transposeB);
    const result = original({ ...args, inputs: { a: at, b: bt }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    if (a.transposeA) at.dispose();
    if (a.transposeB) bt.dispose();
    return result;
  });
  replaceKernel("Slice", "Slice (copies only the slice)", (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return original(args);
    const a = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size);
    return sliceOnHeap(args.backend as unknown as WasmBackendLike, x, begin, size);
  });
  replaceKernel("MaxPoolGrad", "MaxPoolGrad (JS on the wasm heap)", () => ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: Pad; dimRoundingMode?: "floor" | "round" | "ceil" };
    const x = inputs.input as tf.TensorInfo;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad as never, a.dimRoundingMode);
    return maxPoolGradOnHeap(backend as unknown as WasmBackendLike, inputs.dy as tf.TensorInfo, x, info);
  });
  return added;
}
