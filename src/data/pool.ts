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
  /** Training indices the protocol never uses (neither pool nor validation; Gal's code keeps 40,000 of the rest as pool). */
  unused?: number[];
}

export class ActivePool {
  readonly validation: readonly number[];
  private readonly labelledList: number[];
  private readonly isLabelled: Uint8Array;
  private readonly excluded: Uint8Array;

  private readonly unused: readonly number[];

  constructor(readonly size: number, validation: readonly number[], labelled: readonly number[], unused: readonly number[] = []) {
    this.validation = validation.slice();
    this.unused = unused.slice();
    this.excluded = new Uint8Array(size);
    for (const i of validation) this.excluded[i] = 1;
    for (const i of unused) this.excluded[i] = 2;
    this.isLabelled = new Uint8Array(size);
    this.labelledList = [];
    this.label(labelled);
  }

  /**
   * The Gal/Pilz split: a random validation set, then a balanced initial labelled set from the
   * rest; the pool is everything else, or (poolSize > 0) a random `poolSize` of it.
   */
  static galSplit(labels: Uint8Array, numClasses: number, opts: { validationSize: number; initialPerClass: number; poolSize?: number; initialPoolPositions?: number[]; initialSelection?: "balanced" | "random" }, rng: Rng): ActivePool {
    const all = Array.from({ length: labels.length }, (_, i) => i);
    if (opts.validationSize + opts.initialPerClass * numClasses > labels.length) {
      throw new Error(`validationSize ${opts.validationSize} + initial set ${opts.initialPerClass * numClasses} exceed the ${labels.length} training examples`);
    }
    const validation = rng.sample(all, opts.validationSize);
    const valSet = new Set(validation);
    const rest = all.filter((i) => !valSet.has(i));
    // Fixed positions in the pool left after the validation set (BatchBALD's code acquires its
    // `mnist_initial_samples` as pool indices), or a balanced random draw.
    const positions = opts.initialPoolPositions;
    if (positions) {
      if (positions.length !== opts.initialPerClass * numClasses) throw new Error(`initialPoolPositions: ${positions.length} positions, but initialPerClass ${opts.initialPerClass} x ${numClasses} classes = ${opts.initialPerClass * numClasses}`);
      const bad = positions.find((p) => !Number.isInteger(p) || p < 0 || p >= rest.length);
      if (bad !== undefined) throw new Error(`initialPoolPositions: ${bad} is not a position in the pool of ${rest.length}`);
      if (new Set(positions).size !== positions.length) throw new Error("initialPoolPositions: positions repeat");
    }
    const initial = positions ? positions.map((p) => rest[p])
      : opts.initialSelection === "random" ? rng.sample(rest, opts.initialPerClass * numClasses)
      : balancedSample(labels, numClasses, opts.initialPerClass, rest, rng);
    let unused: number[] = [];
    const poolSize = opts.poolSize ?? 0;
    if (poolSize > 0) {
      const initSet = new Set(initial);
      const candidates = rest.filter((i) => !initSet.has(i));
      if (poolSize > candidates.length) throw new Error(`poolSize ${poolSize} exceeds the ${candidates.length} examples left after the validation and initial sets`);
      const inPool = new Set(rng.sample(candidates, poolSize));
      unused = candidates.filter((i) => !inPool.has(i));
    }
    return new ActivePool(labels.length, validation, initial, unused);
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
      if (this.excluded[i]) throw new Error(`cannot label index ${i}: it is in the ${this.excluded[i] === 1 ? "validation set" : "unused part of the training set"}`);
      if (this.isLabelled[i]) throw new Error(`cannot label index ${i}: already labelled`);
      this.isLabelled[i] = 1;
      this.labelledList.push(i);
    }
  }

  snapshot(): PoolSnapshot {
    return { labelled: this.labelledList.slice(), validation: this.validation.slice(), ...(this.unused.length ? { unused: this.unused.slice() } : {}) };
  }

  static restore(size: number, snap: PoolSnapshot): ActivePool {
    return new ActivePool(size, snap.validation, snap.labelled, snap.unused ?? []);
  }
}
