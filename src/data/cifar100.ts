// CIFAR-100, binary version: cifar-100-binary.tar.gz (published md5 03b5dce01913d631647c71ecec9e9cb8)
// holds train.bin (50,000 records) and test.bin (10,000); a record is the coarse label byte, the
// fine label byte (0-99, the survey's classes) and 3,072 pixel bytes (R, G, B planes of 32x32).
// Normalised with DeepAL+'s statistics.
import { gunzipSync } from "node:zlib";
import { untar } from "./cifar10";
import { dataDir, DatasetFile, ensureFile } from "./files";
import { ImageDataset, ImageSplit } from "./types";

export const CIFAR100_TARBALL: DatasetFile = {
  dataset: "cifar100", name: "cifar-100-binary.tar.gz", md5: "03b5dce01913d631647c71ecec9e9cb8", mirrors: ["https://www.cs.toronto.edu/~kriz/"],
};
export const CIFAR100_MEAN = [0.5071, 0.4865, 0.4409];
export const CIFAR100_STD = [0.2673, 0.2564, 0.2762];
const RECORD = 2 + 3072;

/** Records (coarse, fine, CHW planes) -> normalised NHWC split labelled with the fine class. */
export function decodeCifar100Records(bytes: Uint8Array, where: string): ImageSplit {
  if (bytes.length % RECORD !== 0) throw new Error(`${where}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte records`);
  const n = bytes.length / RECORD;
  const x = new Float32Array(n * 3072);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * RECORD;
    if (bytes[r] > 19) throw new Error(`${where}: record ${i} has coarse label ${bytes[r]} (expected 0-19)`);
    y[i] = bytes[r + 1];
    if (y[i] > 99) throw new Error(`${where}: record ${i} has fine label ${y[i]} (expected 0-99)`);
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) x[i * 3072 + p * 3 + c] = (bytes[r + 2 + c * 1024 + p] / 255 - CIFAR100_MEAN[c]) / CIFAR100_STD[c];
    }
  }
  return { x, y, n };
}

/** CIFAR-100 (fine labels) from the md5-checked tarball in the data folder. `tarball` replaces the official file (tests). */
export async function loadCifar100(dir = dataDir(), tarball: DatasetFile = CIFAR100_TARBALL): Promise<ImageDataset> {
  const files = untar(gunzipSync(await ensureFile(tarball, dir)));
  const part = (name: string) => {
    const bytes = files.get(`cifar-100-binary/${name}`);
    if (!bytes) throw new Error(`${tarball.name}: cifar-100-binary/${name} not found in the archive`);
    return decodeCifar100Records(bytes, `${tarball.name}:${name}`);
  };
  return { name: "CIFAR-100", imageShape: [32, 32, 3], numClasses: 100, train: part("train.bin"), test: part("test.bin") };
}
