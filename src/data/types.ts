/** Images flattened row-major (NHWC), one row of h*w*c floats per example. */
export interface ImageSplit {
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

export interface ImageDataset {
  name: string;
  imageShape: [number, number, number];
  numClasses: number;
  train: ImageSplit;
  test: ImageSplit;
}

export function rowSize(ds: ImageDataset): number {
  return ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
}

/** Copies the rows `indices` of a split into one contiguous array. */
export function gatherRows(split: ImageSplit, indices: readonly number[], rowLen: number): { x: Float32Array; y: Uint8Array } {
  const x = new Float32Array(indices.length * rowLen);
  const y = new Uint8Array(indices.length);
  indices.forEach((idx, i) => {
    if (idx < 0 || idx >= split.n) throw new Error(`row index ${idx} out of range [0, ${split.n})`);
    x.set(split.x.subarray(idx * rowLen, (idx + 1) * rowLen), i * rowLen);
    y[i] = split.y[idx];
  });
  return { x, y };
}
