// Principal component projection (the survey reduces KCenter's embeddings to 32 dimensions by PCA).
import { Rng } from "../seeding/rng";

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: values descending, vectors as columns. */
export function symmetricEigen(A: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p], akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k], aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p], vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j * m + j] - a[i * m + i]);
  const values = Float64Array.from(order, (i) => a[i * m + i]);
  const vectors = new Float64Array(m * m);
  order.forEach((col, j) => { for (let k = 0; k < m; k++) vectors[k * m + j] = v[k * m + col]; });
  return { values, vectors };
}

/**
 * Projects the rows of X [n][d] on their top `dims` principal components (centred, as scikit-learn's
 * PCA.fit_transform). Small d: exact Jacobi on the covariance; large d: block power iteration with a
 * Rayleigh-Ritz step, converged to 1e-9 relative change of the eigenvalues. Rows with d <= dims are
 * only centred.
 */
export function pcaProject(X: ArrayLike<number>, d: number, dims: number, rng: Rng): { data: Float64Array; dim: number } {
  const n = X.length / d;
  if (!Number.isInteger(n) || n < 1) throw new Error(`pca: ${X.length} values are not rows of width ${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += X[i * d + t] / n;
  const m = Math.min(dims, d);
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) row[t] = X[i * d + t] - mean[t];
    for (let p = 0; p < d; p++) {
      const rp = row[p];
      if (rp === 0) continue;
      for (let q = p; q < d; q++) cov[p * d + q] += rp * row[q];
    }
  }
  for (let p = 0; p < d; p++) for (let q = p; q < d; q++) cov[q * d + p] = cov[p * d + q];
  const components = d <= 64 ? topEigenvectorsExact(cov, d, m) : topEigenvectorsIterative(cov, d, m, rng);
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) row[t] = X[i * d + t] - mean[t];
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += row[t] * components[t * m + j];
      data[i * m + j] = s;
    }
  }
  return { data, dim: m };
}

function topEigenvectorsExact(cov: Float64Array, d: number, m: number): Float64Array {
  const { vectors } = symmetricEigen(cov, d);
  const out = new Float64Array(d * m);
  for (let k = 0; k < d; k++) for (let j = 0; j < m; j++) out[k * m + j] = vectors[k * d + j];
  return out;
}

/** Orthonormalises the m columns of Q [d][m] in place (modified Gram-Schmidt). */
function orthonormalise(Q: Float64Array, d: number, m: number): void {
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q[k * m + i] * Q[k * m + j];
      for (let k = 0; k < d; k++) Q[k * m + j] -= s * Q[k * m + i];
    }
    let norm = 0;
    for (let k = 0; k < d; k++) norm += Q[k * m + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < d; k++) Q[k * m + j] /= norm;
  }
}

function topEigenvectorsIterative(cov: Float64Array, d: number, m: number, rng: Rng): Float64Array {
  // A few extra columns speed up convergence of the last wanted ones.
  const b = Math.min(d, m + 8);
  let Q = new Float64Array(d * b);
  for (let i = 0; i < Q.length; i++) Q[i] = rng.normal();
  orthonormalise(Q, d, b);
  let previous = new Float64Array(m);
  for (let iter = 0; iter < 500; iter++) {
    const Z = new Float64Array(d * b);
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) {
      const c = cov[p * d + q];
      if (c === 0) continue;
      for (let j = 0; j < b; j++) Z[p * b + j] += c * Q[q * b + j];
    }
    orthonormalise(Z, d, b);
    // Rayleigh-Ritz: rotate the block to the eigenvectors of Z' C Z.
    const small = new Float64Array(b * b);
    const CZ = new Float64Array(d * b);
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) {
      const c = cov[p * d + q];
      if (c === 0) continue;
      for (let j = 0; j < b; j++) CZ[p * b + j] += c * Z[q * b + j];
    }
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Z[k * b + i] * CZ[k * b + j];
      small[i * b + j] = s;
    }
    const { values, vectors } = symmetricEigen(small, b);
    Q = new Float64Array(d * b);
    for (let k = 0; k < d; k++) for (let j = 0; j < b; j++) {
      let s = 0;
      for (let i = 0; i < b; i++) s += Z[k * b + i] * vectors[i * b + j];
      Q[k * b + j] = s;
    }
    const current = values.slice(0, m);
    let change = 0;
    for (let j = 0; j < m; j++) change = Math.max(change, Math.abs(current[j] - previous[j]) / Math.max(Math.abs(current[j]), 1e-300));
    previous = current;
    if (iter > 0 && change < 1e-9) break;
  }
  const out = new Float64Array(d * m);
  for (let k = 0; k < d; k++) for (let j = 0; j < m; j++) out[k * m + j] = Q[k * b + j];
  return out;
}
