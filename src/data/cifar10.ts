// CIFAR-10, binary version: five training batches and one test batch of 10,000 records
// (1 label byte + 3,072 pixel bytes, channel-major R, G, B planes of 32x32). Read as
// <dir>/cifar10/<batch>.bin.gz (the workspace's copies: md5 of the gzip, then of the content) or
// <batch>.bin; where neither exists, the official tarball is downloaded (md5-checked) and the
// batches extracted and checked against the published md5s. Images are returned NHWC, normalised
// channel-wise with the usual CIFAR-10 training-set mean and std.
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { dataDir, DatasetFile, ensureFile, md5Of, readVerified } from "./files";
import { ImageDataset, ImageSplit } from "./types";

export const CIFAR10_BATCHES = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"] as const;
const BATCHES = CIFAR10_BATCHES;
type Batch = (typeof BATCHES)[number];

/** md5 of the gzip files in the workspace's dataset folder (README there). */
const GZ_MD5: Record<Batch, string> = {
  data_batch_1: "cd8a231dfb0bf59633792b9835f8f6fa", data_batch_2: "d392fef210280605e84b6e47a1f28a00",
  data_batch_3: "156c8c76c60d02b77ab685ec02a9c2fe", data_batch_4: "4a2f9adff9506fd7bda738c245a2bec4",
  data_batch_5: "6353ec739dc221f1472f8854e6dfafdb", test_batch: "ad3a03826c1cb44fc507e0467b9b804d",
};
/** Published md5 of the uncompressed official .bin files. */
const BIN_MD5: Record<Batch, string> = {
  data_batch_1: "5dd7e06a14cb22eb9f671a540d1b7c25", data_batch_2: "5ea93a67294ea407fff1d09f752e9692",
  data_batch_3: "942cd6a4bcdd0dd3c604fbe906cb4421", data_batch_4: "ae636b3ba5c66a11e91e8cb52e771fcb",
  data_batch_5: "53f37980c15c3d472c316c40844f3f0d", test_batch: "803d5f7f4d78ea53de84dbe85f74fb6d",
};
export const CIFAR10_TARBALL: DatasetFile = {
  // md5 of the official tarball as commonly published (not verifiable offline here; every extracted
  // batch is also checked against its published md5 above).
  dataset: "cifar10", name: "cifar-10-binary.tar.gz", md5: "c32a1d4ab5d03f1284b67883e8d87530", mirrors: ["https://www.cs.toronto.edu/~kriz/"],
};

export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465];
export const CIFAR10_STD = [0.247, 0.2435, 0.2616];
/** The std constants of paper 000's code (load_data.py; the widespread kuangliu/pytorch-cifar values). */
export const CIFAR10_STD_DBALHQ = [0.2023, 0.1994, 0.201];
export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

/** Files of a ustar archive (regular files only). */
export function untar(bytes: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let off = 0;
  const text = (a: number, n: number) => Buffer.from(bytes.subarray(a, a + n)).toString("latin1").replace(/\0.*$/s, "");
  while (off + 512 <= bytes.length) {
    const name = text(off, 100);
    if (!name) break;
    const size = parseInt(text(off + 124, 12).trim() || "0", 8);
    const type = text(off + 156, 1);
    const prefix = text(off + 345, 155);
    if (type === "0" || type === "") out.set(prefix ? `${prefix}/${name}` : name, bytes.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function checkBin(bytes: Uint8Array, where: string, batch: Batch): void {
  const actual = md5Of(bytes);
  if (actual !== BIN_MD5[batch]) {
    throw new Error(`Checksum mismatch for ${where}: expected md5 ${BIN_MD5[batch]} (uncompressed ${batch}.bin), got ${actual}.`);
  }
}

async function batchBytes(batch: Batch, dir: string): Promise<Uint8Array> {
  const folder = join(dir, "cifar10");
  const gz = [join(folder, `${batch}.bin.gz`), join(dir, `${batch}.bin.gz`)].find(existsSync);
  if (gz) {
    const bytes = gunzipSync(readVerified(gz, GZ_MD5[batch]));
    checkBin(bytes, gz, batch);
    return bytes;
  }
  const bin = [join(folder, `${batch}.bin`), join(dir, `${batch}.bin`)].find(existsSync);
  if (bin) return readVerified(bin, BIN_MD5[batch]);
  // Neither: fetch the official tarball (checked), extract every batch (checked).
  const tar = untar(gunzipSync(await ensureFile(CIFAR10_TARBALL, dir)));
  mkdirSync(folder, { recursive: true });
  for (const b of BATCHES) {
    const entry = tar.get(`cifar-10-batches-bin/${b}.bin`);
    if (!entry) throw new Error(`${CIFAR10_TARBALL.name}: ${b}.bin not found in the archive`);
    checkBin(entry, `${CIFAR10_TARBALL.name}:${b}.bin`, b);
    writeFileSync(join(folder, `${b}.bin.part`), entry);
    renameSync(join(folder, `${b}.bin.part`), join(folder, `${b}.bin`));
  }
  return readVerified(join(folder, `${batch}.bin`), BIN_MD5[batch]);
}

/**
 * The CIFAR binary format: records of `header` label bytes then R, G, B planes of 32x32; the
 * label is header byte `labelAt` (CIFAR-100 has coarse then fine). -> normalised NHWC split.
 */
export function decodeCifarFormat(bytes: Uint8Array, where: string, f: { header: number; labelAt: number; classes: number; mean: readonly number[]; std: readonly number[] }): ImageSplit {
  const record = f.header + 3072;
  if (bytes.length % record !== 0) throw new Error(`${where}: ${bytes.length} bytes is not a whole number of ${record}-byte records`);
  const n = bytes.length / record;
  const x = new Float32Array(n * 3072);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * record;
    y[i] = bytes[r + f.labelAt];
    if (y[i] >= f.classes) throw new Error(`${where}: record ${i} has label ${y[i]} (expected 0-${f.classes - 1})`);
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) x[i * 3072 + p * 3 + c] = (bytes[r + f.header + c * 1024 + p] / 255 - f.mean[c]) / f.std[c];
    }
  }
  return { x, y, n };
}

/** Records (label + CHW planes) -> normalised NHWC split. */
export function decodeCifarRecords(bytes: Uint8Array, where: string, std: readonly number[] = CIFAR10_STD): ImageSplit {
  return decodeCifarFormat(bytes, where, { header: 1, labelAt: 0, classes: 10, mean: CIFAR10_MEAN, std });
}

function concat(parts: ImageSplit[]): ImageSplit {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const x = new Float32Array(n * 3072);
  const y = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    x.set(p.x, off * 3072);
    y.set(p.y, off);
    off += p.n;
  }
  return { x, y, n };
}

const cache = new Map<string, ImageDataset>();

/** CIFAR-10 normalised per channel with CIFAR10_MEAN and `std` (default: the data's own std). Cached per process and std. */
export async function loadCifar10(dir = dataDir(), std: readonly number[] = CIFAR10_STD): Promise<ImageDataset> {
  const id = `${dir}:${std.join(",")}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const splits: ImageSplit[] = [];
  for (const b of BATCHES) splits.push(decodeCifarRecords(await batchBytes(b, dir), `${b}.bin`, std));
  const ds: ImageDataset = { name: "CIFAR-10", imageShape: [32, 32, 3], numClasses: 10, train: concat(splits.slice(0, 5)), test: splits[5] };
  cache.set(id, ds);
  return ds;
}
