// RepeatedMNIST (Kirsch et al. 2019; paper 002's "MNISTx2"): the MNIST training set repeated
// `copies` times, each copy with its own N(0, noiseStd^2) pixel noise added after normalisation;
// the test set stays clean. The noise comes from its own seed so the dataset is the same for every
// run of an experiment (as in BatchBALD's code, where it is a fixed dataset).
import { Rng } from "../seeding/rng";
import { loadMnist } from "./mnist";
import { ImageDataset } from "./types";

export interface RepeatedMnistOptions {
  copies: number;
  noiseStd: number;
  noiseSeed: number;
}

/** The dataset name used in run configs, e.g. "repeated-mnist(copies=2,noise=0.1,seed=0)". */
export function repeatedMnistName(o: RepeatedMnistOptions): string {
  return `repeated-mnist(copies=${o.copies},noise=${o.noiseStd},seed=${o.noiseSeed})`;
}

/** Repeats a dataset's training split with per-copy Gaussian noise (pure: the input is not changed). */
export function repeatWithNoise(base: ImageDataset, o: RepeatedMnistOptions): ImageDataset {
  if (!Number.isInteger(o.copies) || o.copies < 1) throw new Error(`RepeatedMNIST: copies must be a positive integer, got ${o.copies}`);
  if (!(o.noiseStd >= 0)) throw new Error(`RepeatedMNIST: noiseStd must be >= 0, got ${o.noiseStd}`);
  const { x, y, n } = base.train;
  const out = new Float32Array(x.length * o.copies);
  const rng = new Rng(`repeated-mnist:${o.noiseSeed}`);
  for (let copy = 0; copy < o.copies; copy++) {
    const off = copy * x.length;
    for (let i = 0; i < x.length; i++) out[off + i] = x[i] + (o.noiseStd > 0 ? o.noiseStd * rng.normal() : 0);
  }
  const labels = new Uint8Array(n * o.copies);
  for (let copy = 0; copy < o.copies; copy++) labels.set(y, copy * n);
  return { ...base, name: repeatedMnistName(o), train: { x: out, y: labels, n: n * o.copies } };
}

const cache = new Map<string, ImageDataset>();

export async function loadRepeatedMnist(o: RepeatedMnistOptions): Promise<ImageDataset> {
  const name = repeatedMnistName(o);
  let ds = cache.get(name);
  if (!ds) {
    ds = repeatWithNoise(await loadMnist(), o);
    cache.clear(); // one repeated copy at a time: each is hundreds of MB
    cache.set(name, ds);
  }
  return ds;
}
