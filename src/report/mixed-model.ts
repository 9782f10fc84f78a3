// DEIMOS' whole-curve test (paper 004, App. C): "the null model ... is an LMM with random-effect
// terms corresponding to the number of elapsed acquisition iterations; the alternative adds a
// fixed effect for the AL algorithm; a likelihood ratio test compares them". With every iteration
// observed equally often for both algorithms (a balanced design), the algorithm effect and its
// likelihood ratio are those of the linear model with one mean per iteration (fixed blocks): the
// iteration means absorb what the random intercepts would. Every (seed, iteration) counts as an
// observation, as in the paper, so the p-value ignores that a run's steps are correlated: it is
// reported beside our seed-level bootstrap, never instead of it.

/** Upper tail of the chi-square distribution with 1 degree of freedom: erfc(sqrt(x / 2)). */
export function chiSquare1Tail(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

/** Complementary error function (Numerical Recipes' erfcc: fractional error < 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export interface AlgorithmEffect {
  /** Mean accuracy of a minus b (the fixed effect). */
  effect: number;
  /** Likelihood-ratio statistic, N ln(RSS0 / RSS1). */
  lrt: number;
  p: number;
  observations: number;
}

/** App. C's test of the algorithm effect between curves of two arms (runs x iterations, same iterations). */
export function algorithmEffectTest(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): AlgorithmEffect {
  if (a.length === 0 || b.length === 0) throw new Error("algorithmEffectTest: an arm has no runs");
  const steps = a[0].length;
  if ([...a, ...b].some((c) => c.length !== steps)) throw new Error("algorithmEffectTest: curves of different lengths");
  let rss0 = 0, rss1 = 0, sumA = 0, sumB = 0;
  for (let t = 0; t < steps; t++) {
    const ya = a.map((c) => c[t]), yb = b.map((c) => c[t]);
    const all = [...ya, ...yb];
    const m = all.reduce((s, v) => s + v, 0) / all.length;
    rss0 += all.reduce((s, v) => s + (v - m) ** 2, 0);
    sumA += ya.reduce((s, v) => s + v, 0);
    sumB += yb.reduce((s, v) => s + v, 0);
  }
  const effect = sumA / (a.length * steps) - sumB / (b.length * steps);
  // Alternative: iteration means plus one algorithm shift (least squares in a balanced design).
  const nA = a.length, nB = b.length;
  for (let t = 0; t < steps; t++) {
    const ya = a.map((c) => c[t]), yb = b.map((c) => c[t]);
    const m = (ya.reduce((s, v) => s + v, 0) + yb.reduce((s, v) => s + v, 0)) / (nA + nB);
    // Block mean m_t; fitted values m_t + effect * nB / (nA + nB) for a, m_t - effect * nA / (nA + nB) for b.
    const fa = m + (effect * nB) / (nA + nB), fb = m - (effect * nA) / (nA + nB);
    rss1 += ya.reduce((s, v) => s + (v - fa) ** 2, 0) + yb.reduce((s, v) => s + (v - fb) ** 2, 0);
  }
  const n = (nA + nB) * steps;
  const lrt = rss1 > 0 ? n * Math.log(rss0 / rss1) : rss0 > 0 ? Infinity : 0;
  return { effect, lrt, p: chiSquare1Tail(lrt), observations: n };
}
