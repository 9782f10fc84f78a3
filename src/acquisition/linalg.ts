// Small dense linear algebra on row-major Float64Arrays: Cholesky factorisation and triangular
// solves (DEIMOS blocks, GP posterior variances). Never an explicit inverse.

/** Lower Cholesky factor of a symmetric c x c matrix, or null if it is not positive definite. */
export function cholesky(A: Float64Array, n: number, jitter = 0): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/** Solves L y = b for lower-triangular L. */
export function forwardSolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  return y;
}

/** Solves L^T x = y for lower-triangular L. */
export function backSolve(L: Float64Array, n: number, y: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Solves A x = b for symmetric positive-definite A (n x n) by Cholesky. */
export function choleskySolve(A: Float64Array, n: number, b: Float64Array, jitter = 0): Float64Array {
  const L = cholesky(A, n, jitter);
  if (!L) throw new Error(`choleskySolve: the ${n}x${n} matrix is not positive definite (jitter ${jitter})`);
  return backSolve(L, n, forwardSolve(L, n, b));
}

