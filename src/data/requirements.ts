// Which dataset files a set of runs needs, and which of them are missing from the data folder,
// checked by name and place only (no reading): `make reproduce` asks before its first notebook so a
// clone without data fails in seconds with one list, not notebook by notebook.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CIFAR10_BATCHES, CIFAR10_TARBALL } from "./cifar10";
import { DatasetFile, dataDir } from "./files";
import { MNIST_FILES } from "./mnist";

export interface DataRequirement {
  /** The dataset family (mnist, cifar10). */
  dataset: string;
  /** What to download (its size) when missing. */
  download: string;
  /** Expected paths that are missing (empty: present). */
  missing: string[];
}

/** The family of a run's dataset name ("mnist(classes=7-9)", "repeated-mnist(...)" -> mnist). */
export function datasetFamily(name: string): "mnist" | "cifar10" {
  if (/cifar-?10(?!0)/.test(name)) return "cifar10";
  if (/mnist/.test(name) && !/fashion/.test(name)) return "mnist";
  throw new Error(`datasetFamily: no data requirement known for dataset '${name}'`);
}

const present = (dir: string, file: DatasetFile) => [join(dir, file.dataset, file.name), join(dir, file.name)].some(existsSync);

/** Whether the data of each family is in `dir` (as the loaders look for it). */
export function dataRequirements(datasetNames: readonly string[], dir = dataDir()): DataRequirement[] {
  const families = [...new Set(datasetNames.map(datasetFamily))].sort();
  return families.map((family) => {
    if (family === "mnist") {
      return { dataset: "mnist", download: "the 4 MNIST files (~11 MB)", missing: Object.values(MNIST_FILES).filter((f) => !present(dir, f)).map((f) => join(dir, f.dataset, f.name)) };
    }
    // CIFAR-10: every batch as .bin.gz or .bin (in cifar10/ or the folder itself), or the official tarball.
    const batchPresent = (b: string) => [`${b}.bin.gz`, `${b}.bin`].some((f) => existsSync(join(dir, "cifar10", f)) || existsSync(join(dir, f)));
    const ok = CIFAR10_BATCHES.every(batchPresent) || present(dir, CIFAR10_TARBALL);
    return { dataset: "cifar10", download: "cifar-10-binary.tar.gz (~163 MB)", missing: ok ? [] : [join(dir, "cifar10", CIFAR10_TARBALL.name)] };
  });
}

/** The message for missing data (one list, and the fix), or null when everything is there. */
export function missingDataMessage(reqs: readonly DataRequirement[], dir = dataDir()): string | null {
  const missing = reqs.filter((r) => r.missing.length > 0);
  if (missing.length === 0) return null;
  return [`Dataset files missing in ${dir} (BAL_DATA_DIR):`, ...missing.flatMap((r) => r.missing.map((m) => `  ${m}   (${r.dataset}: ${r.download})`)),
    "Fix: set BAL_DATA_DIR to a folder that holds them (e.g. export BAL_DATA_DIR=/path/to/datasets), or run once with internet: the loaders download",
    "them from the official mirrors and check their md5 (BAL_NO_DOWNLOAD=1 turns downloads off)."].join("\n");
}
