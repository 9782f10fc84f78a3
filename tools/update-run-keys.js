#!/usr/bin/env node
// Rewrites test/fixtures/run-keys.json from the current build (after `make build`) and names every profile
// whose run keys changed. Committed results are found by key: run this only for a protocol change meant
// to change runs, and move the committed reference runs it orphans to reference-results/<experiment>/stale/.
const { createHash } = require("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const root = join(__dirname, "..");
const { EXPERIMENTS } = require(join(root, "build/src/experiments/registry"));
const { runKey } = require(join(root, "build/src/loop/active-learning"));
const file = join(root, "test/fixtures/run-keys.json");
const old = JSON.parse(readFileSync(file, "utf8"));
const out = {};
for (const [name, entry] of Object.entries(EXPERIMENTS)) {
  out[name] = {};
  for (const profile of entry.profiles) {
    const keys = entry.load(profile).sweep.runs.map(runKey);
    out[name][profile] = { runs: keys.length, sha256: createHash("sha256").update(keys.join("\n")).digest("hex") };
    const was = old[name]?.[profile];
    if (!was || was.sha256 !== out[name][profile].sha256) console.log(`${name} / ${profile}: ${was ? `${was.runs} -> ${keys.length} runs, keys changed` : "new"}`);
  }
}
writeFileSync(file, JSON.stringify(out, null, 1));
