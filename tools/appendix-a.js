#!/usr/bin/env node
// DEIMOS Appendix A: runs the greedy-vs-optimal simulation of the reference profile (40-60 s on one
// core) and stores it in reference-results/simulations/deimos-appendix-a.json with its config and
// provenance, where the claims table reads it (it is too slow to recompute for every README check).
// Usage: node tools/appendix-a.js   (after make build)
const { mkdirSync, writeFileSync, renameSync } = require("node:fs");
const { dirname, join } = require("node:path");
const root = join(__dirname, "..");
const { appendixAPath, appendixASimulation, deimosProfile } = require(join(root, "build/src/experiments/deimos/index"));
const { provenance } = require(join(root, "build/src/results/provenance"));

const config = deimosProfile("reference").appendixA;
const started = Date.now();
const ratios = appendixASimulation(config);
const file = appendixAPath();
mkdirSync(dirname(file), { recursive: true });
writeFileSync(`${file}.tmp`, JSON.stringify({ config, ratios, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString(), provenance: provenance("none (plain JS)") }, null, 1));
renameSync(`${file}.tmp`, file);
for (const [k, r] of Object.entries(ratios)) console.log(`batch ${k}: ${r.length} trials, min ratio ${Math.min(...r).toFixed(4)}, ${r.filter((x) => x <= 0.97).length} at or below 0.97`);
console.log(`wrote ${file}`);
