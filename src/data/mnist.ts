// MNIST: 60k train / 10k test 28x28 greyscale digits, normalised with the usual mean/std.
import { DatasetFile, ensureFile } from "./files";
import { parseIdx } from "./idx";
import { ImageDataset } from "./types";

const MIRRORS = [
  "https://ossci-datasets.s3.amazonaws.com/mnist/",
  "https://storage.googleapis.com/cvdf-datasets/mnist/",
];

export const MNIST_FILES = {
  trainImages: { dataset: "mnist", name: "train-images-idx3-ubyte.gz", md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873", mirrors: MIRRORS },
  trainLabels: { dataset: "mnist", name: "train-labels-idx1-ubyte.gz", md5: "d53e105ee54ea40749a09fcbcd1e9432", mirrors: MIRRORS },
  testImages: { dataset: "mnist", name: "t10k-images-idx3-ubyte.gz", md5: "9fb629c4189551a2d022fa330f9573f3", mirrors: MIRRORS },
  testLabels: { dataset: "mnist", name: "t10k-labels-idx1-ubyte.gz", md5: "ec29112dd5afa0611ce80d1b7f02629c", mirrors: MIRRORS },
} satisfies Record<string, DatasetFile>;

export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

async function loadIdx(file: DatasetFile, dir?: string) {
  const bytes = await ensureFile(file, dir);
  return parseIdx(bytes, file.name);
}

/**
 * Pixel scaling: "standardise" = (x/255 - 0.1307) / 0.3081 (torchvision's Normalize, Pilz's code);
 * "unit" = x/255 in [0, 1] (Gal et al.'s Keras code).
 */
export type MnistScaling = "standardise" | "unit";

function scale(pixels: Uint8Array, scaling: MnistScaling): Float32Array {
  const out = new Float32Array(pixels.length);
  if (scaling === "unit") for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  else for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i] / 255 - MNIST_MEAN) / MNIST_STD;
  return out;
}

/**
 * Any MNIST-format dataset (four gzipped idx files, 28x28 greyscale): pixels /255 then
 * (x - mean) / std. Fashion-MNIST uses it with its own files and statistics.
 */
export async function loadIdxImageDataset(
  name: string, files: { trainImages: DatasetFile; trainLabels: DatasetFile; testImages: DatasetFile; testLabels: DatasetFile },
  mean: number, std: number, dir?: string,
): Promise<ImageDataset> {
  const [xtr, ytr, xte, yte] = await Promise.all([
    loadIdx(files.trainImages, dir), loadIdx(files.trainLabels, dir), loadIdx(files.testImages, dir), loadIdx(files.testLabels, dir),
  ]);
  for (const [images, labels, split] of [[xtr, ytr, "train"], [xte, yte, "test"]] as const) {
    if (images.dims[0] !== labels.dims[0]) throw new Error(`${name} ${split}: ${images.dims[0]} images but ${labels.dims[0]} labels`);
    if (images.dims[1] !== 28 || images.dims[2] !== 28) throw new Error(`${name} ${split}: images are ${images.dims.slice(1).join("x")}, expected 28x28`);
  }
  const norm = (pixels: Uint8Array) => Float32Array.from(pixels, (v) => (v / 255 - mean) / std);
  return {
    name, imageShape: [28, 28, 1], numClasses: 10,
    train: { x: norm(xtr.data), y: Uint8Array.from(ytr.data), n: ytr.dims[0] },
    test: { x: norm(xte.data), y: Uint8Array.from(yte.data), n: yte.dims[0] },
  };
}

const cache = new Map<MnistScaling, ImageDataset>();

/** Loads MNIST from the data folder (verified by md5), scaled (default: standardised). Cached per process. */
export async function loadMnist(dir?: string, scaling: MnistScaling = "standardise"): Promise<ImageDataset> {
  const cached = dir === undefined ? cache.get(scaling) : undefined;
  if (cached) return cached;
  const [xtr, ytr, xte, yte] = await Promise.all([
    loadIdx(MNIST_FILES.trainImages, dir), loadIdx(MNIST_FILES.trainLabels, dir),
    loadIdx(MNIST_FILES.testImages, dir), loadIdx(MNIST_FILES.testLabels, dir),
  ]);
  const ds: ImageDataset = {
    name: "MNIST",
    imageShape: [28, 28, 1],
    numClasses: 10,
    train: { x: scale(xtr.data, scaling), y: Uint8Array.from(ytr.data), n: ytr.dims[0] },
    test: { x: scale(xte.data, scaling), y: Uint8Array.from(yte.data), n: yte.dims[0] },
  };
  if (dir === undefined) cache.set(scaling, ds);
  return ds;
}
