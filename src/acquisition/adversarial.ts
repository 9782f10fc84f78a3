// Adversarial margin strategies (Ducoffe & Precioso 2018, as in DeepAL+): the size of the smallest
// input perturbation that flips the prediction; the k candidates with the smallest are queried.
// Both run every candidate's attack at once, a row stopping when its prediction flips.
import { InputGradientModel } from "./types";

function argmaxRows(logits: Float32Array, C: number): Int32Array {
  const n = logits.length / C;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let arg = 0;
    for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + arg]) arg = c;
    out[i] = arg;
  }
  return out;
}

/** The rows of x listed in `rows` (each `size` wide). */
function gather(x: Float32Array, rows: readonly number[], size: number): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(x.subarray(r * size, (r + 1) * size), i * size));
  return out;
}

export interface AttackResult {
  /** Squared norm of the perturbation (Infinity: no flip within the iterations). */
  sqNorm: Float64Array;
  iterations: Int32Array;
}

/**
 * Basic iterative method (DeepAL+'s adversarial_bim.py): eta += eps * sign(grad_x CE(f(x+eta), yhat))
 * until argmax f(x + eta) != yhat; returns |eta|^2. DeepAL+ loops without a cap; `maxIter` caps it.
 */
export async function bimAttack(model: InputGradientModel, x: Float32Array, eps: number, maxIter: number): Promise<AttackResult> {
  const D = model.inputSize, C = model.numClasses;
  const n = x.length / D;
  const yhat = argmaxRows(await model.logits(x), C);
  const eta = new Float32Array(x.length);
  const sqNorm = new Float64Array(n).fill(Infinity);
  const iterations = new Int32Array(n);
  let active = Array.from({ length: n }, (_, i) => i);
  for (let it = 1; it <= maxIter && active.length > 0; it++) {
    const xa = gather(x, active, D);
    const ea = gather(eta, active, D);
    for (let j = 0; j < xa.length; j++) xa[j] += ea[j];
    const g = await model.lossGradients(xa, Int32Array.from(active, (i) => yhat[i]));
    active.forEach((r, i) => {
      for (let t = 0; t < D; t++) eta[r * D + t] += eps * Math.sign(g[i * D + t]);
    });
    const moved = gather(x, active, D);
    const em = gather(eta, active, D);
    for (let j = 0; j < moved.length; j++) moved[j] += em[j];
    const pred = argmaxRows(await model.logits(moved), C);
    const still: number[] = [];
    active.forEach((r, i) => {
      iterations[r] = it;
      if (pred[i] !== yhat[r]) {
        let s = 0;
        for (let t = 0; t < D; t++) s += eta[r * D + t] ** 2;
        sqNorm[r] = s;
      } else still.push(r);
    });
    active = still;
  }
  return { sqNorm, iterations };
}

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016) without overshoot, as DeepAL+'s adversarial_deepfool.py:
 * at x + eta, for each class k != yhat, w_k = grad f_k - grad f_yhat, f_k = logit_k - logit_yhat;
 * step r = |f_k| / |w_k|^2 w_k and repeat until the prediction flips or `maxIter` steps.
 * `choice` "minimum" takes the k with the smallest |f_k| / |w_k| (the method); "last-class" the
 * last k != yhat, which is what DeepAL+'s loop ends with (its running minimum is never updated).
 */
export async function deepFoolAttack(model: InputGradientModel, x: Float32Array, maxIter: number, choice: "minimum" | "last-class" = "minimum"): Promise<AttackResult> {
  const D = model.inputSize, C = model.numClasses;
  const n = x.length / D;
  const yhat = argmaxRows(await model.logits(x), C);
  const eta = new Float32Array(x.length);
  const sqNorm = new Float64Array(n).fill(Infinity);
  const iterations = new Int32Array(n);
  let active = Array.from({ length: n }, (_, i) => i);
  for (let it = 1; it <= maxIter && active.length > 0; it++) {
    const xa = gather(x, active, D);
    const ea = gather(eta, active, D);
    for (let j = 0; j < xa.length; j++) xa[j] += ea[j];
    const logits = await model.logits(xa);
    const grads: Float32Array[] = [];
    for (let c = 0; c < C; c++) grads.push(await model.logitGradients(xa, new Int32Array(active.length).fill(c)));
    active.forEach((r, i) => {
      const y = yhat[r];
      let bestK = -1, bestValue = Infinity;
      for (let k = 0; k < C; k++) {
        if (k === y) continue;
        let w2 = 0;
        for (let t = 0; t < D; t++) w2 += (grads[k][i * D + t] - grads[y][i * D + t]) ** 2;
        const f = logits[i * C + k] - logits[i * C + y];
        const value = Math.abs(f) / Math.sqrt(w2);
        if (choice === "last-class" || value < bestValue) { bestK = k; bestValue = value; }
      }
      let w2 = 0;
      for (let t = 0; t < D; t++) w2 += (grads[bestK][i * D + t] - grads[y][i * D + t]) ** 2;
      const f = logits[i * C + bestK] - logits[i * C + y];
      const scale = w2 > 0 ? Math.abs(f) / w2 : 0;
      for (let t = 0; t < D; t++) eta[r * D + t] += scale * (grads[bestK][i * D + t] - grads[y][i * D + t]);
    });
    const moved = gather(x, active, D);
    const em = gather(eta, active, D);
    for (let j = 0; j < moved.length; j++) moved[j] += em[j];
    const pred = argmaxRows(await model.logits(moved), C);
    const still: number[] = [];
    active.forEach((r, i) => {
      iterations[r] = it;
      if (pred[i] !== yhat[r]) {
        let s = 0;
        for (let t = 0; t < D; t++) s += eta[r * D + t] ** 2;
        sqNorm[r] = s;
      } else still.push(r);
    });
    active = still;
  }
  // DeepAL+ returns |eta|^2 also for points that never flipped within max_iter.
  for (const r of active) {
    let s = 0;
    for (let t = 0; t < D; t++) s += eta[r * D + t] ** 2;
    sqNorm[r] = s;
  }
  return { sqNorm, iterations };
}
