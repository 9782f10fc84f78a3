// One experiment seed drives every random choice: this generator (seedrandom's alea, whose state
// can be saved and restored for resumable runs) draws the splits, the pool subsets, the random
// scores, and the integer seeds handed to tfjs initialisers and to every dropout pass.
import seedrandom from "seedrandom";

export type RngState = seedrandom.State.Alea;

export class Rng {
  private prng: seedrandom.StatefulPRNG<RngState>;

  constructor(seed: number | string, state?: RngState) {
    this.prng = state
      ? seedrandom.alea("", { state: { ...state } })
      : seedrandom.alea(String(seed), { state: true });
  }

  /** Snapshot of the generator, for checkpoints. */
  state(): RngState {
    return this.prng.state();
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.prng.double();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** A 31-bit integer seed for tfjs (initialisers, dropout masks, randomUniform). */
  seed(): number {
    return (this.prng.int32() >>> 1) || 1;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.prng.double();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.prng.double());
  }

  /** Standard Gumbel(0, 1). */
  gumbel(): number {
    let u = 0;
    while (u === 0) u = this.prng.double();
    return -Math.log(-Math.log(u));
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k > items.length) throw new Error(`cannot sample ${k} items from ${items.length}`);
    const a = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + this.int(a.length - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, k);
  }

  /** A child generator with its own stream, derived deterministically from this one. */
  fork(label: string): Rng {
    return new Rng(`${this.prng.int32()}:${label}`);
  }
}
