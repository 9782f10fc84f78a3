// DEIMOS (paper 004): the expected improvement of labelling candidate j is the reduction of the
// trace of the predictive covariance V over the sample set, and a batch is built greedily,
// conditioning V on each pick.
//   regression (blocks of c = 1):  V = tau^-1 I + Cov,  EI_j = sum_i V_ij^2 / V_jj
//   classification (c x c blocks of class probabilities, tau^-1 = 0, smoothing tau_s^-1):
//     EI_j = tr(V_:j A_j^-1 V_j:),  A_j = V_jj + tau_s^-1 I,  then  V <- V - V_:j A_j^-1 V_j:
// Cov = (1/J) P^T P for the centred J x cS prediction matrix P of J consistent MC-dropout passes.
// The low-rank form keeps V = tau^-1 I + F diag(sign) F^T (F: cS x r, r = J + c * picks so far),
// so one greedy step costs O(S c r^2) and V (cS x cS) is never materialised.
import { Rng } from "../seeding/rng";
import { backSolve, cholesky, choleskySolve, forwardSolve } from "./linalg";

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
function greedy(S: number, k: number, gain: (j: number) => number | null, condition: (j: number) => void, prepare: () => void = () => undefined, candidates = S): GreedyResult {
  const picked: number[] = [];
  const gains: number[] = [];
  const taken = new Uint8Array(S);
  for (let step = 0; step < k; step++) {
    prepare();
    let best = -1;
    let bestGain = -Infinity;
    for (let j = 0; j < candidates; j++) {
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

/** Greedy batch on a dense symmetric cS x cS matrix (row-major; point s owns rows s*c .. s*c+c-1). */
export function deimosGreedyDense(V: Float64Array, S: number, k: number, c = 1, tauSInv = 0): GreedyResult {
  const n = S * c;
  if (V.length !== n * n) throw new Error(`deimosGreedyDense: V has ${V.length} entries, expected ${n}x${n}`);
  const W = Float64Array.from(V);
  const block = (j: number) => {
    const A = new Float64Array(c * c);
    for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) A[a * c + b] = W[(j * c + a) * n + j * c + b] + (a === b ? tauSInv : 0);
    return A;
  };
  /** Rows of V_:j A^-1/2 (n x c): V_:j A_j^-1 V_j: = U U^T. */
  const whitened = (j: number): Float64Array | null => {
    const L = cholesky(block(j), c);
    if (!L) return null;
    const U = new Float64Array(n * c);
    const col = new Float64Array(c);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < c; a++) col[a] = W[i * n + j * c + a];
      U.set(forwardSolve(L, c, col), i * c);
    }
    return U;
  };
  return greedy(S, k, (j) => {
    const U = whitened(j);
    if (!U) return null;
    let t = 0;
    for (let i = 0; i < U.length; i++) t += U[i] * U[i];
    return t;
  }, (best) => {
    const U = whitened(best)!;
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        let d = 0;
        for (let a = 0; a < c; a++) d += U[i * c + a] * U[l * c + a];
        W[i * n + l] -= d;
      }
    }
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

/** Greedy regression batch from the centred predictions P (J x S) without forming V. */
export function deimosGreedyLowRank(P: Float64Array, J: number, S: number, tauInv: number, k: number): GreedyResult {
  return deimosGreedyBlocks(P, J, S, 1, tauInv, 0, k);
}

/**
 * The low-rank state of V = tauInv I + (1/J) P^T P for centred predictions P (J x cS, column
 * s*c + class), blocks inverted with tauSInv added (classification: tauInv = 0):
 * `prepare` once per greedy step, then `gain(j)` = EI of point j, `condition(j)` after a pick.
 */
function lowRankDeimos(P: Float64Array, J: number, S: number, c: number, tauInv: number, tauSInv: number) {
  const n = S * c;
  if (P.length !== J * n) throw new Error(`deimosGreedyBlocks: P has ${P.length} entries, expected ${J}x${n} (J x S*c)`);
  if (!(tauInv >= 0 && tauSInv >= 0) || tauInv + tauSInv <= 0 && c > 1) {
    throw new Error(`deimosGreedyBlocks: need tauInv >= 0, tauSInv >= 0 (classification: tauSInv > 0), got ${tauInv}, ${tauSInv}`);
  }
  // F stored by column: column a is cols[a] (length n); sign[a] = +1 (data) or -1 (conditioning).
  const cols: Float64Array[] = [];
  const sign: number[] = [];
  const scale = 1 / Math.sqrt(J);
  for (let j = 0; j < J; j++) {
    cols.push(Float64Array.from({ length: n }, (_, i) => P[j * n + i] * scale));
    sign.push(1);
  }
  let M = new Float64Array(0); // diag(sign) F^T F diag(sign)  (r x r)
  const prepare = () => {
    const r = cols.length;
    M = new Float64Array(r * r);
    for (let a = 0; a < r; a++) {
      for (let b = a; b < r; b++) {
        let s = 0;
        const ca = cols[a];
        const cb = cols[b];
        for (let i = 0; i < n; i++) s += ca[i] * cb[i];
        M[a * r + b] = M[b * r + a] = s * sign[a] * sign[b];
      }
    }
  };
  /** F_j (c x r): the rows of F of point j. */
  const rowsOf = (j: number): Float64Array => {
    const r = cols.length;
    const Fj = new Float64Array(c * r);
    for (let a = 0; a < c; a++) for (let b = 0; b < r; b++) Fj[a * r + b] = cols[b][j * c + a];
    return Fj;
  };
  /** V_jj (c x c) = tauInv I + F_j D F_j^T. */
  const vjj = (Fj: Float64Array): Float64Array => {
    const r = cols.length;
    const A = new Float64Array(c * c);
    for (let a = 0; a < c; a++) {
      for (let b = a; b < c; b++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += sign[t] * Fj[a * r + t] * Fj[b * r + t];
        A[a * c + b] = A[b * c + a] = s + (a === b ? tauInv : 0);
      }
    }
    return A;
  };
  const gain = (j: number): number | null => {
    const r = cols.length;
    const Fj = rowsOf(j);
    const Vjj = vjj(Fj);
    const A = Vjj.map((v, i) => (i % (c + 1) === 0 ? v + tauSInv : v));
    const L = cholesky(A, c);
    if (!L) return null;
    // V_j: V_:j = tauInv^2 I + 2 tauInv (V_jj - tauInv I) + F_j M F_j^T
    const FM = new Float64Array(c * r);
    for (let a = 0; a < c; a++) {
      for (let b = 0; b < r; b++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += Fj[a * r + t] * M[t * r + b];
        FM[a * r + b] = s;
      }
    }
    const B = new Float64Array(c * c);
    for (let a = 0; a < c; a++) {
      for (let b = 0; b < c; b++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += FM[a * r + t] * Fj[b * r + t];
        B[a * c + b] = s + 2 * tauInv * (Vjj[a * c + b] - (a === b ? tauInv : 0)) + (a === b ? tauInv * tauInv : 0);
      }
    }
    return traceOfInverseTimes(L, c, B);
  };
  const condition = (best: number) => {
    // V_:j (n x c) = tauInv E_j + F D F_j^T; append the c columns of V_:j L^-T with sign -1.
    const r = cols.length;
    const Fj = rowsOf(best);
    const A = vjj(Fj).map((v, i) => (i % (c + 1) === 0 ? v + tauSInv : v));
    const L = cholesky(A, c)!;
    const Vcol = Array.from({ length: c }, () => new Float64Array(n));
    for (let a = 0; a < c; a++) {
      const v = Vcol[a];
      v[best * c + a] = tauInv;
      for (let t = 0; t < r; t++) {
        const w = sign[t] * Fj[a * r + t];
        if (w !== 0) { const ct = cols[t]; for (let i = 0; i < n; i++) v[i] += w * ct[i]; }
      }
    }
    // Columns of Vcol L^-T: solve L x = (row i of V_:j) for every row i, done column-wise by forward substitution.
    const out = Array.from({ length: c }, () => new Float64Array(n));
    for (let a = 0; a < c; a++) {
      const o = out[a];
      for (let i = 0; i < n; i++) {
        let s = Vcol[a][i];
        for (let b = 0; b < a; b++) s -= L[a * c + b] * out[b][i];
        o[i] = s / L[a * c + a];
      }
    }
    for (const o of out) { cols.push(o); sign.push(-1); }
  };
  return { prepare, gain, condition };
}

/**
 * Greedy batch of size k from centred predictions (J x cS) without forming V (see lowRankDeimos).
 * Only the first `candidates` points may be picked (the rest, e.g. labelled points of the sample
 * set, still count in the trace).
 */
export function deimosGreedyBlocks(P: Float64Array, J: number, S: number, c: number, tauInv: number, tauSInv: number, k: number, candidates = S): GreedyResult {
  const { prepare, gain, condition } = lowRankDeimos(P, J, S, c, tauInv, tauSInv);
  return greedy(S, k, gain, condition, prepare, candidates);
}

/** Expected improvement of every point before any pick (NaN where V_jj is singular). */
export function deimosExpectedImprovements(P: Float64Array, J: number, S: number, c: number, tauInv: number, tauSInv: number): Float64Array {
  const { prepare, gain } = lowRankDeimos(P, J, S, c, tauInv, tauSInv);
  prepare();
  return Float64Array.from({ length: S }, (_, j) => gain(j) ?? NaN);
}

/** tr(A^-1 B) for A = L L^T (c x c): sum over columns of B of (A^-1 B)_aa. */
function traceOfInverseTimes(L: Float64Array, n: number, B: Float64Array): number {
  let t = 0;
  const col = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (let i = 0; i < n; i++) col[i] = B[i * n + a];
    const y = forwardSolve(L, n, col);
    t += backSolve(L, n, y)[a];
  }
  return t;
}

/**
 * Trace reduction of labelling the points B jointly (brute force):
 * tr(V_:B (V_BB + tauSInv I)^-1 V_B:), point s owning rows s*c .. s*c+c-1 of V (cS x cS).
 */
export function traceReduction(V: Float64Array, S: number, B: readonly number[], c = 1, tauSInv = 0): number {
  const rows = B.flatMap((b) => Array.from({ length: c }, (_, a) => b * c + a));
  const n = S * c;
  const m = rows.length;
  const VBB = new Float64Array(m * m);
  rows.forEach((a, i) => rows.forEach((b, j) => { VBB[i * m + j] = V[a * n + b] + (i === j ? tauSInv : 0); }));
  const L = cholesky(VBB, m);
  if (!L) throw new Error(`traceReduction: V_BB for batch [${B.join(", ")}] is not positive definite`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = forwardSolve(L, m, Float64Array.from(rows, (b) => V[i * n + b]));
    for (let t = 0; t < m; t++) total += y[t] * y[t]; // v^T A^-1 v = |L^-1 v|^2
  }
  return total;
}

/** The best batch of size k by exhaustive search (small S only). */
export function optimalBatch(V: Float64Array, S: number, k: number, c = 1, tauSInv = 0): { batch: number[]; reduction: number } {
  let best: number[] = [];
  let bestR = -Infinity;
  const rec = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      const r = traceReduction(V, S, chosen, c, tauSInv);
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

/** Mean over columns of the per-column variance (1/J) sum_j P_ji^2 of centred predictions. */
function meanVariance(P: Float64Array, J: number, n: number): number {
  let s = 0;
  for (let i = 0; i < P.length; i++) s += P[i] * P[i];
  return s / J / n;
}

/** Regression DEIMOS batch from J x S consistent MC outputs; tau^-1 = tauFraction x mean dropout variance. */
export function deimosRegressionBatch(outputs: { T: number; N: number; data: ArrayLike<number> }, k: number, tauFraction = 0.15, candidates = outputs.N): GreedyResult & { tauInv: number } {
  const P = centrePredictions(outputs.data, outputs.T, outputs.N);
  const tauInv = Math.max(tauFraction * meanVariance(P, outputs.T, outputs.N), 1e-12);
  return { ...deimosGreedyBlocks(P, outputs.T, outputs.N, 1, tauInv, 0, k, candidates), tauInv };
}

/**
 * tau_s^-1 of classification DEIMOS: `fraction` x the average dropout variance across classes
 * (mean over points and classes of the variance over the J passes) of MC probabilities [J][S][c].
 */
export function deimosTauSInv(p: { T: number; N: number; C: number; data: ArrayLike<number> }, fraction: number): number {
  const n = p.N * p.C;
  return Math.max(fraction * meanVariance(centrePredictions(p.data, p.T, n), p.T, n), 1e-12);
}

type ClassProbs = { T: number; N: number; C: number; data: ArrayLike<number> };

/**
 * Classification DEIMOS batch from consistent MC probabilities [J][S][c] (already J x cS row-major)
 * with a given tau_s^-1. `labelled`: the labelled points' probabilities from the same J passes;
 * they join the sample set (their covariance counts in the trace) but are never picked.
 */
export function deimosClassificationBatch(p: ClassProbs, k: number, tauSInv: number, labelled?: ClassProbs): GreedyResult {
  const all = labelled ? appendPoints(p, labelled) : p;
  const P = centrePredictions(all.data, all.T, all.N * all.C);
  return deimosGreedyBlocks(P, all.T, all.N, all.C, 0, tauSInv, k, p.N);
}

/**
 * How many labelled points App. D's sample set holds: "X_samp is randomly sampled from X_train ∪
 * X_pool until the set of candidate points X_samp \ X_train reaches a specified size", so the
 * labelled points drawn before the last candidate are in it (about candidates / pool of them).
 * Simulates those draws without replacement (a negative hypergeometric count).
 */
export function labelledInSampleSet(labelled: number, pool: number, candidates: number, rng: Rng): number {
  if (!(candidates >= 0 && candidates <= pool)) throw new Error(`labelledInSampleSet: ${candidates} candidates from a pool of ${pool}`);
  let L = labelled, P = pool, drawn = 0, k = 0;
  while (drawn < candidates) {
    if (rng.uniform() * (L + P) < L) { L--; k++; } else { P--; drawn++; }
  }
  return k;
}

/** [J][S][c] probabilities of `a`'s points followed by `b`'s, pass by pass (same J and c). */
export function appendPoints(a: ClassProbs, b: ClassProbs): ClassProbs {
  if (a.T !== b.T || a.C !== b.C) throw new Error(`appendPoints: passes x classes ${a.T} x ${a.C} and ${b.T} x ${b.C} differ`);
  const { T, C } = a;
  const N = a.N + b.N;
  const data = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < a.N * C; i++) data[t * N * C + i] = a.data[t * a.N * C + i];
    for (let i = 0; i < b.N * C; i++) data[t * N * C + a.N * C + i] = b.data[t * b.N * C + i];
  }
  return { T, N, C, data };
}
