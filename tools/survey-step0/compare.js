#!/usr/bin/env node
// Compares the two stored step-0 checks (ours.js, pytorch_peer.py): per side the eval-mode test accuracy's
// mean / min / max over seeds and the seeds whose predictions collapsed (one class takes >= 90% of the test
// set), then the mean gap with the project's permutation test (src/report/spread.ts: 20,000 splits by a fixed generator
// at 13 + 13 runs).
// Usage (after make build): node tools/survey-step0/compare.js
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const root = join(__dirname, "..", "..");
const { permutationP } = require(join(root, "build/src/report/spread"));
const dir = join(root, "reference-results", "checks");
const read = (side) => {
  const file = join(dir, `survey-step0-${side}.json`);
  try { return JSON.parse(readFileSync(file, "utf8")); } catch (e) { throw new Error(`${file}: ${e.message} (run tools/survey-step0/${side === "ours" ? "ours.js" : "pytorch_peer.py"} first)`); }
};
const sides = { ours: read("ours"), pytorch: read("pytorch") };
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const acc = {};
for (const [side, r] of Object.entries(sides)) {
  const a = r.seeds.map((s) => s.testAccuracy);
  acc[side] = a;
  const collapsed = r.seeds.filter((s) => Math.max(...s.predictedClassCounts) >= 0.9 * r.testImages);
  console.log(`${side.padEnd(7)} ${a.length} seeds: eval-mode test accuracy mean ${(100 * mean(a)).toFixed(2)}%, min ${(100 * Math.min(...a)).toFixed(2)}%, ` +
    `max ${(100 * Math.max(...a)).toFixed(2)}%; collapsed to one class (>= 90% of predictions): ${collapsed.length} (seeds ${collapsed.map((s) => s.seed).join(", ") || "none"})`);
}
const gap = mean(acc.ours) - mean(acc.pytorch);
const { p, splits, exact } = permutationP(acc.ours, acc.pytorch);
console.log(`mean gap (ours - PyTorch) ${(100 * gap).toFixed(2)} points; two-sided permutation p = ${p.toFixed(3)} (${splits} ${exact ? "splits, exact" : "random splits"})`);
