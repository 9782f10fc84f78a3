// CIFAR-100, binary version: cifar-100-binary.tar.gz (published md5 03b5dce01913d631647c71ecec9e9cb8)
// holds train.bin (50,000 records) and test.bin (10,000); a record is the coarse label byte, the
// fine label byte (0-99, the survey's classes) and 3,072 pixel bytes (R, G, B planes of 32x32).
// Normalised with DeepAL+'s statistics.
import { gunzipSync } from "node:zlib";
import { decodeCifarFormat, untar } from "./cifar10";
import { dataDir, DatasetFile, ensureFile } from "./files";
import { ImageDataset, ImageSplit } from "./types";

export const CIFAR100_TARBALL: DatasetFile = {
  dataset: "cifar100", name: "cifar-100-binary.tar.gz", md5: "03b5dce01913d631647c71ecec9e9cb8", mirrors: ["https://www.cs.toronto.edu/~kriz/"],
};
export const CIFAR100_MEAN = [0.5071, 0.4865, 0.4409];
export const CIFAR100_STD = [0.2673, 0.2564, 0.2762];

/** Records (coarse, fine, CHW planes) -> normalised NHWC split labelled with the fine class. */
export function decodeCifar100Records(bytes: Uint8Array, where: string): ImageSplit {
  return decodeCifarFormat(bytes, where, { header: 2, labelAt: 1, classes: 100, mean: CIFAR100_MEAN, std: CIFAR100_STD });
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
