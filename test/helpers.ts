// A tiny synthetic image dataset (4x4 pixels, 3 classes) for fast loop tests on the cpu backend.
import { ImageDataset } from "../src/data/types";
import { Rng } from "../src/seeding/rng";

export function tinyDataset(nTrain = 240, nTest = 60, seed = 1): ImageDataset {
  const rng = new Rng(seed);
  const make = (n: number) => {
    const x = new Float32Array(n * 16);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      y[i] = c;
      for (let p = 0; p < 16; p++) x[i * 16 + p] = rng.normal() * 0.8 + (p % 3 === c ? 1.5 : 0);
    }
    return { x, y, n };
  };
  return { name: "tiny", imageShape: [4, 4, 1], numClasses: 3, train: make(nTrain), test: make(nTest) };
}
