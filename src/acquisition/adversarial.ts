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

function squaredNorm(eta: Float32Array, r: number, D: number): number {
  let s = 0;
  for (let t = 0; t < D; t++) s += eta[r * D + t] ** 2;
  return s;
}

/**
 * The loop both attacks share: every row starts with eta = 0 and its prediction yhat; each
 * iteration `step` moves eta of the rows still unflipped (given their perturbed inputs x + eta),
 * then a row whose prediction changed stops with |eta|^2. Returns the rows never flipped too.
 */
async function iterativeAttack(model: InputGradientModel, x: Float32Array, maxIter: number,
  step: (perturbed: Float32Array, active: readonly number[], yhat: Int32Array, eta: Float32Array) => Promise<void>,
): Promise<AttackResult & { unflipped: number[]; eta: Float32Array }> {
  const D = model.inputSize, C = model.numClasses;
  const n = x.length / D;
  const yhat = argmaxRows(await model.logits(x), C);
  const eta = new Float32Array(x.length);
  const sqNorm = new Float64Array(n).fill(Infinity);
  const iterations = new Int32Array(n);
  const perturbed = (rows: readonly number[]) => {
    const out = gather(x, rows, D);
    const e = gather(eta, rows, D);
    for (let j = 0; j < out.length; j++) out[j] += e[j];
    return out;
  };
  let active = Array.from({ length: n }, (_, i) => i);
  for (let it = 1; it <= maxIter && active.length > 0; it++) {
    await step(perturbed(active), active, yhat, eta);
    const pred = argmaxRows(await model.logits(perturbed(active)), C);
    const still: number[] = [];
    active.forEach((r, i) => {
      iterations[r] = it;
      if (pred[i] !== yhat[r]) sqNorm[r] = squaredNorm(eta, r, D);
      else still.push(r);
    });
    active = still;
  }
  return { sqNorm, iterations, unflipped: active, eta };
}

/**
 * Basic iterative method (DeepAL+'s adversarial_bim.py): eta += eps * sign(grad_x CE(f(x+eta), yhat))
 * until argmax f(x + eta) != yhat; returns |eta|^2. DeepAL+ loops without a cap; `maxIter` caps it.
 */
export async function bimAttack(model: InputGradientModel, x: Float32Array, eps: number, maxIter: number): Promise<AttackResult> {
  const D = model.inputSize;
  const { sqNorm, iterations } = await iterativeAttack(model, x, maxIter, async (perturbed, active, yhat, eta) => {
    const g = await model.lossGradients(perturbed, Int32Array.from(active, (i) => yhat[i]));
    active.forEach((r, i) => {
      for (let t = 0; t < D; t++) eta[r * D + t] += eps * Math.sign(g[i * D + t]);
    });
  });
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
  const { sqNorm, iterations, unflipped, eta } = await iterativeAttack(model, x, maxIter, async (perturbed, active, yhat, eta) => {
    const logits = await model.logits(perturbed);
    const grads: Float32Array[] = [];
    for (let c = 0; c < C; c++) grads.push(await model.logitGradients(perturbed, new Int32Array(active.length).fill(c)));
    const w2 = (k: number, y: number, i: number) => {
      let s = 0;
      for (let t = 0; t < D; t++) s += (grads[k][i * D + t] - grads[y][i * D + t]) ** 2;
      return s;
    };
    active.forEach((r, i) => {
      const y = yhat[r];
      let bestK = -1, bestValue = Infinity;
      for (let k = 0; k < C; k++) {
        if (k === y) continue;
        const value = Math.abs(logits[i * C + k] - logits[i * C + y]) / Math.sqrt(w2(k, y, i));
        if (choice === "last-class" || value < bestValue) { bestK = k; bestValue = value; }
      }
      const norm2 = w2(bestK, y, i);
      const scale = norm2 > 0 ? Math.abs(logits[i * C + bestK] - logits[i * C + y]) / norm2 : 0;
      for (let t = 0; t < D; t++) eta[r * D + t] += scale * (grads[bestK][i * D + t] - grads[y][i * D + t]);
    });
  });
  // DeepAL+ returns |eta|^2 also for points that never flipped within max_iter.
  for (const r of unflipped) sqNorm[r] = squaredNorm(eta, r, D);
  return { sqNorm, iterations };
}
