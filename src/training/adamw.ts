// AdamW (Loshchilov & Hutter) with decoupled weight decay, as torch.optim.AdamW:
//   w <- w * (1 - lr * wd)
//   m <- b1 m + (1 - b1) g ;  v <- b2 v + (1 - b2) g^2
//   w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// tfjs ships Adam only (its decay would be L2 through the gradient, which Adam rescales).
import * as tf from "@tensorflow/tfjs";
import { deviceAdamWActive, deviceMoment, deviceWeightUpdate } from "../compute/webgpu-adamw";

export interface AdamWConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

export class AdamW {
  readonly config: AdamWConfig;
  private t = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(config: Partial<AdamWConfig> = {}) {
    this.config = { ...ADAMW_DEFAULTS, ...config };
  }

  get stepCount(): number {
    return this.t;
  }

  /** One update of `vars` given gradients keyed by variable name. */
  step(vars: readonly tf.Variable[], grads: tf.NamedTensorMap): void {
    this.t += 1;
    const { lr, beta1, beta2, eps, weightDecay } = this.config;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      for (const w of vars) {
        const g = grads[w.name];
        if (g == null) continue;
        let s = this.moments.get(w.name);
        if (!s) {
          s = { m: tf.variable(tf.zerosLike(w), false), v: tf.variable(tf.zerosLike(w), false) };
          this.moments.set(w.name, s);
        }
        if (deviceAdamWActive()) {
          // Three dispatches instead of fifteen on webgpu (src/compute/webgpu-adamw.ts), same arithmetic.
          const m = deviceMoment(s.m, g, beta1, 1 - beta1, false);
          const v = deviceMoment(s.v, g, beta2, 1 - beta2, true);
          s.m.assign(m);
          s.v.assign(v);
          w.assign(deviceWeightUpdate(w, m, v, 1 - lr * weightDecay, lr, bc1, bc2, eps));
          continue;
        }
        const m = tf.add(tf.mul(s.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(s.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        s.m.assign(m);
        s.v.assign(v);
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps));
        w.assign(tf.sub(tf.mul(w, 1 - lr * weightDecay), tf.mul(update, lr)));
      }
    });
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }
}
