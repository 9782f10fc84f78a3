// DEIMOS (paper 004), regression form: expected improvement of labelling candidate j is the
// reduction of the posterior trace, EI_j = sum_i V_ij^2 / V_jj, and a batch is built greedily,
// conditioning V on each pick: V <- V - V_:j V_j: / V_jj.
// V = tau^-1 I + (1/J) P^T P for the centred J x S prediction matrix P of J consistent MC-dropout
// passes. The low-rank form keeps V = tau^-1 I + F diag(sign) F^T (F: S x r, r = J + picks so far),
// so one greedy step costs O(S r^2) instead of O(S^2), and V (S x S) is never materialised.

export interface GreedyResult {
  /** Picked indices in construction order. */
  picked: number[];
  /** Trace reduction achieved by each pick (given the earlier picks). */
  gains: number[];
}

/**
 * The greedy loop shared by both forms: `gain(j)` scores an untaken candidate (null: not
 * eligible), `condition(j)` updates the state after j is picked.
 */
function greedy(S: number, k: number, gain: (j: number) => number | null, condition: (j: number) => void, prepare: () => void = () => undefined): GreedyResult {
  const picked: number[] = [];
  const gains: number[] = [];
  const taken = new Uint8Array(S);
  for (let step = 0; step < k; step++) {
    prepare();
    let best = -1;
    let bestGain = -Infinity;
    for (let j = 0; j < S; j++) {
      if (taken[j]) continue;
      const g = gain(j);
      if (g !== null && g > bestGain) {
        bestGain = g;
        best = j;
      }
    }
    if (best < 0) break;
    picked.push(best);
    gains.push(bestGain);
    taken[best] = 1;
    condition(best);
  }
  return { picked, gains };
}

/** Greedy batch on a dense symmetric S x S matrix (row-major). */
export function deimosGreedyDense(V: Float64Array, S: number, k: number): GreedyResult {
  if (V.length !== S * S) throw new Error(`deimosGreedyDense: V has ${V.length} entries, expected ${S}x${S}`);
  const W = Float64Array.from(V);
  return greedy(S, k, (j) => {
    if (W[j * S + j] <= 0) return null;
    let s = 0;
    for (let i = 0; i < S; i++) s += W[i * S + j] ** 2;
    return s / W[j * S + j];
  }, (best) => {
    const col = Float64Array.from({ length: S }, (_, i) => W[i * S + best]);
    const d = col[best];
    for (let i = 0; i < S; i++) for (let l = 0; l < S; l++) W[i * S + l] -= (col[i] * col[l]) / d;
  });
}

/** Centres J x S predictions over the J passes (row-major [J][S]). */
export function centrePredictions(Y: ArrayLike<number>, J: number, S: number): Float64Array {
  const P = Float64Array.from(Y as ArrayLike<number>);
  for (let s = 0; s < S; s++) {
    let m = 0;
    for (let j = 0; j < J; j++) m += P[j * S + s];
    m /= J;
    for (let j = 0; j < J; j++) P[j * S + s] -= m;
  }
  return P;
}

/** Dense V = tau^-1 I + (1/J) P^T P (for tests and small S only). */
export function denseCovariance(P: Float64Array, J: number, S: number, tauInv: number): Float64Array {
  const V = new Float64Array(S * S);
  for (let a = 0; a < S; a++) {
    for (let b = a; b < S; b++) {
      let s = 0;
      for (let j = 0; j < J; j++) s += P[j * S + a] * P[j * S + b];
      V[a * S + b] = V[b * S + a] = s / J + (a === b ? tauInv : 0);
    }
  }
  return V;
}

/** Greedy batch from the centred predictions P (J x S) without forming V. */
export function deimosGreedyLowRank(P: Float64Array, J: number, S: number, tauInv: number, k: number): GreedyResult {
  if (P.length !== J * S) throw new Error(`deimosGreedyLowRank: P has ${P.length} entries, expected ${J}x${S}`);
  // F stored column-major: column c is F[c*S .. c*S+S); sign[c] = +1 (data) or -1 (conditioning).
  const cols: Float64Array[] = [];
  const sign: number[] = [];
  const scale = 1 / Math.sqrt(J);
  for (let j = 0; j < J; j++) {
    cols.push(Float64Array.from({ length: S }, (_, s) => P[j * S + s] * scale));
    sign.push(1);
  }
  let M = new Float64Array(0);
  const f = new Float64Array(J + k);
  // M = diag(sign) F^T F diag(sign)  (r x r), recomputed as F grows by one column per pick.
  const prepare = () => {
    const r = cols.length;
    M = new Float64Array(r * r);
    for (let a = 0; a < r; a++) {
      for (let b = a; b < r; b++) {
        let s = 0;
        const ca = cols[a];
        const cb = cols[b];
        for (let i = 0; i < S; i++) s += ca[i] * cb[i];
        M[a * r + b] = M[b * r + a] = s * sign[a] * sign[b];
      }
    }
  };
  const gain = (j: number): number | null => {
    const r = cols.length;
    for (let a = 0; a < r; a++) f[a] = cols[a][j];
    // V_jj = tau^-1 + G_jj with G_jj = sum_a sign_a f_a^2 ; sum_i V_ij^2 = tau^-2 + 2 tau^-1 G_jj + f^T M f
    let gjj = 0;
    let q = 0;
    for (let a = 0; a < r; a++) {
      gjj += sign[a] * f[a] * f[a];
      let row = 0;
      for (let b = 0; b < r; b++) row += M[a * r + b] * f[b];
      q += f[a] * row;
    }
    const vjj = tauInv + gjj;
    return vjj > 0 ? (tauInv * tauInv + 2 * tauInv * gjj + q) / vjj : null;
  };
  const condition = (best: number) => {
    // v = V e_best = tau^-1 e_best + F diag(sign) F_best^T ; append column v / sqrt(v_best) with sign -1.
    const v = new Float64Array(S);
    v[best] = tauInv;
    for (let a = 0; a < cols.length; a++) {
      const w = sign[a] * cols[a][best];
      if (w !== 0) for (let i = 0; i < S; i++) v[i] += w * cols[a][i];
    }
    const norm = 1 / Math.sqrt(v[best]);
    cols.push(v.map((x) => x * norm));
    sign.push(-1);
  };
  return greedy(S, k, gain, condition, prepare);
}

/** Solves A x = b for symmetric positive-definite A (n x n) by Cholesky. */
export function choleskySolve(A: Float64Array, n: number, b: Float64Array, jitter = 0): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (s <= 0) throw new Error(`choleskySolve: matrix not positive definite (pivot ${i} = ${s})`);
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Trace reduction of labelling the set B jointly: tr(V_:B V_BB^-1 V_B:) (brute force). */
export function traceReduction(V: Float64Array, S: number, B: readonly number[]): number {
  const n = B.length;
  const VBB = new Float64Array(n * n);
  B.forEach((a, i) => B.forEach((b, j) => { VBB[i * n + j] = V[a * S + b]; }));
  let total = 0;
  for (let i = 0; i < S; i++) {
    const v = Float64Array.from(B, (b) => V[i * S + b]);
    const x = choleskySolve(VBB, n, v);
    for (let t = 0; t < n; t++) total += v[t] * x[t];
  }
  return total;
}

/** The best batch of size k by exhaustive search (small S only). */
export function optimalBatch(V: Float64Array, S: number, k: number): { batch: number[]; reduction: number } {
  let best: number[] = [];
  let bestR = -Infinity;
  const rec = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      const r = traceReduction(V, S, chosen);
      if (r > bestR) {
        bestR = r;
        best = chosen.slice();
      }
      return;
    }
    for (let i = start; i <= S - (k - chosen.length); i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  return { batch: best, reduction: bestR };
}
