/** MC-dropout class probabilities, laid out [T][N][C] row-major: data[(t*N + n)*C + c]. */
export interface McProbs {
  T: number;
  N: number;
  C: number;
  data: Float32Array | Float64Array;
}

export function checkMcProbs(p: McProbs, where: string): void {
  if (p.data.length !== p.T * p.N * p.C) {
    throw new Error(`${where}: probs has ${p.data.length} values, expected T*N*C = ${p.T}*${p.N}*${p.C}`);
  }
  if (p.T < 1 || p.C < 2) throw new Error(`${where}: need T >= 1 and C >= 2 (got T=${p.T}, C=${p.C})`);
}

/** Mean over passes: pbar[N][C]. */
export function meanProbs(p: McProbs): Float64Array {
  const { T, N, C, data } = p;
  const out = new Float64Array(N * C);
  for (let t = 0; t < T; t++) {
    const off = t * N * C;
    for (let i = 0; i < N * C; i++) out[i] += data[off + i];
  }
  for (let i = 0; i < N * C; i++) out[i] /= T;
  return out;
}

/**
 * A trained classifier seen from the input side (deterministic: dropout off, batch norm on running
 * statistics), for strategies that perturb inputs (adversarial BIM / DeepFool). Inputs are rows of
 * `inputSize` values; every array is row-major.
 */
export interface InputGradientModel {
  numClasses: number;
  inputSize: number;
  /** Logits [n][C]. */
  logits(x: Float32Array): Promise<Float32Array>;
  /** Row i: d logit[i][classes[i]] / d x_i ([n][inputSize]). */
  logitGradients(x: Float32Array, classes: Int32Array): Promise<Float32Array>;
  /** Row i: d cross-entropy(logits_i, labels[i]) / d x_i ([n][inputSize]). */
  lossGradients(x: Float32Array, labels: Int32Array): Promise<Float32Array>;
}
