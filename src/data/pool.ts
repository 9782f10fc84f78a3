// The active-learning state over one training set (baal's style: the dataset object owns the
// labelled / pool indices), plus the seeded splits of the Gal protocol.
import { Rng } from "../seeding/rng";

/** `perClass` random examples of each class among `candidates` (a balanced initial set). */
export function balancedSample(labels: Uint8Array, numClasses: number, perClass: number, candidates: readonly number[], rng: Rng): number[] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (const i of candidates) byClass[labels[i]].push(i);
  const out: number[] = [];
  byClass.forEach((members, c) => {
    if (members.length < perClass) throw new Error(`class ${c} has ${members.length} candidates, fewer than ${perClass}`);
    out.push(...rng.sample(members, perClass));
  });
  return out;
}

export interface PoolSnapshot {
  labelled: number[];
  validation: number[];
}

export class ActivePool {
  readonly validation: readonly number[];
  private readonly labelledList: number[];
  private readonly isLabelled: Uint8Array;
  private readonly excluded: Uint8Array;

  constructor(readonly size: number, validation: readonly number[], labelled: readonly number[]) {
    this.validation = validation.slice();
    this.excluded = new Uint8Array(size);
    for (const i of validation) this.excluded[i] = 1;
    this.isLabelled = new Uint8Array(size);
    this.labelledList = [];
    this.label(labelled);
  }

  /** The Gal/Pilz split: a random validation set, then a balanced initial labelled set from the rest. */
  static galSplit(labels: Uint8Array, numClasses: number, opts: { validationSize: number; initialPerClass: number }, rng: Rng): ActivePool {
    const all = Array.from({ length: labels.length }, (_, i) => i);
    const validation = rng.sample(all, opts.validationSize);
    const valSet = new Set(validation);
    const rest = all.filter((i) => !valSet.has(i));
    const initial = balancedSample(labels, numClasses, opts.initialPerClass, rest, rng);
    return new ActivePool(labels.length, validation, initial);
  }

  get labelled(): readonly number[] {
    return this.labelledList;
  }

  /** Unlabelled, non-validation indices in increasing order. */
  pool(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (!this.isLabelled[i] && !this.excluded[i]) out.push(i);
    return out;
  }

  /** A random subset of the pool (the per-step candidate set), in increasing order. */
  poolSubset(size: number, rng: Rng): number[] {
    const pool = this.pool();
    if (size <= 0 || size >= pool.length) return pool;
    return rng.sample(pool, size).sort((a, b) => a - b);
  }

  label(indices: readonly number[]): void {
    for (const i of indices) {
      if (i < 0 || i >= this.size) throw new Error(`cannot label index ${i}: out of range [0, ${this.size})`);
      if (this.excluded[i]) throw new Error(`cannot label index ${i}: it is in the validation set`);
      if (this.isLabelled[i]) throw new Error(`cannot label index ${i}: already labelled`);
      this.isLabelled[i] = 1;
      this.labelledList.push(i);
    }
  }

  snapshot(): PoolSnapshot {
    return { labelled: this.labelledList.slice(), validation: this.validation.slice() };
  }

  static restore(size: number, snap: PoolSnapshot): ActivePool {
    return new ActivePool(size, snap.validation, snap.labelled);
  }
}
