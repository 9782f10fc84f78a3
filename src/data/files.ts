// Dataset files: where they are found, how they are checked, and how they are fetched.
// The data folder is BAL_DATA_DIR when set, else <project>/data. A file is looked up as
// <dir>/<dataset>/<name> and then <dir>/<name>. Missing files are downloaded from the listed
// mirrors (where internet exists) and kept only if their checksum matches.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface DatasetFile {
  dataset: string;
  name: string;
  md5: string;
  mirrors: string[];
}

/** The folder holding package.json (src/ is run both compiled under build/ and by tslab). */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export function dataDir(): string {
  return resolve(process.env.BAL_DATA_DIR ?? join(PROJECT_ROOT, "data"));
}

export function md5Of(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

const verified = new Map<string, Buffer>();

/** Reads a file and checks its md5; the error names the file and both checksums. */
export function readVerified(path: string, expectedMd5: string): Buffer {
  // Keyed by the expected checksum too: a file verified against one md5 is not thereby verified against another.
  const hit = verified.get(`${expectedMd5}:${path}`);
  if (hit) return hit;
  const bytes = readFileSync(path);
  const actual = md5Of(bytes);
  if (actual !== expectedMd5) {
    throw new Error(`Checksum mismatch for ${path}: expected md5 ${expectedMd5}, got ${actual}. ` +
      `The file is corrupt or a different version; delete it to re-download, or point BAL_DATA_DIR at a good copy.`);
  }
  verified.set(`${expectedMd5}:${path}`, bytes);
  return bytes;
}

async function download(file: DatasetFile, target: string): Promise<void> {
  const errors: string[] = [];
  for (const base of file.mirrors) {
    const url = base + file.name;
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const actual = md5Of(bytes);
      if (actual !== file.md5) throw new Error(`md5 ${actual}, expected ${file.md5}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(`${target}.part`, bytes);
      renameSync(`${target}.part`, target);
      return;
    } catch (e) {
      errors.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`Could not download ${file.name} (expected md5 ${file.md5}): ${errors.join("; ")}`);
}

/** Path of a verified local copy, downloading it into the data folder when missing. */
export async function ensureFile(file: DatasetFile, dir = dataDir()): Promise<Buffer> {
  const candidates = [join(dir, file.dataset, file.name), join(dir, file.name)];
  const found = candidates.find((p) => existsSync(p));
  if (found) return readVerified(found, file.md5);
  if (process.env.BAL_NO_DOWNLOAD === "1") {
    throw new Error(`Dataset file missing: ${candidates[0]} (expected md5 ${file.md5}); downloads are off (BAL_NO_DOWNLOAD=1).`);
  }
  process.stderr.write(`Downloading ${file.name} into ${join(dir, file.dataset)} ...\n`);
  try {
    await download(file, candidates[0]);
  } catch (e) {
    throw new Error(`Dataset file missing: ${candidates[0]} (expected md5 ${file.md5}). Set BAL_DATA_DIR to a folder ` +
      `that holds it. ${(e as Error).message}`);
  }
  return readVerified(candidates[0], file.md5);
}
