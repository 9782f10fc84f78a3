// Class subsets of an image dataset (MNIST 7 vs 9): keep the rows of some classes, relabelled
// 0..k-1 in the order given.
import { ImageDataset, ImageSplit, rowSize } from "./types";

function selectSplit(split: ImageSplit, classes: readonly number[], row: number): ImageSplit {
  const map = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < split.n; i++) if (map.has(split.y[i])) keep.push(i);
  const x = new Float32Array(keep.length * row);
  const y = new Uint8Array(keep.length);
  keep.forEach((src, i) => {
    x.set(split.x.subarray(src * row, (src + 1) * row), i * row);
    y[i] = map.get(split.y[src])!;
  });
  return { x, y, n: keep.length };
}

export function selectClasses(ds: ImageDataset, classes: readonly number[]): ImageDataset {
  if (classes.length < 2) throw new Error(`selectClasses: need at least two classes, got [${classes.join(", ")}]`);
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= ds.numClasses) throw new Error(`selectClasses: class ${c} not in ${ds.name} (0..${ds.numClasses - 1})`);
  }
  const row = rowSize(ds);
  return {
    ...ds, name: `${ds.name} classes ${classes.join(" vs ")}`, numClasses: classes.length,
    train: selectSplit(ds.train, classes, row), test: selectSplit(ds.test, classes, row),
  };
}
