import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/data/files";
import { EXPERIMENTS } from "../src/experiments/registry";

// The README drifts when code changes; these catch what can be read off the code.
const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const NOTEBOOK_OF: Record<string, string> = {
  "gal-mnist": "gal-mnist", "softmax-repeated-mnist": "softmax-repeated-mnist", deimos: "deimos-regression", hybrid: "hybrid-cifar10", survey: "survey-catalogue",
};

test("README: every registered experiment has a notebook row listing exactly its profiles", () => {
  assert.deepEqual(Object.keys(EXPERIMENTS).sort(), Object.keys(NOTEBOOK_OF).sort(), "a new experiment needs its notebook here and a row in the README");
  for (const [experiment, entry] of Object.entries(EXPERIMENTS)) {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`notebooks/${NOTEBOOK_OF[experiment]}.ipynb\``));
    assert.ok(row, `README: no notebook row for ${experiment}`);
    const listed = [...row.slice(row.lastIndexOf("runs (")).matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    assert.deepEqual(listed.sort(), [...entry.profiles].sort(), `README: the ${experiment} row lists ${listed.join(", ")}`);
  }
});

test("README: every experiment is in the Slurm section's list, and every profile name is explained", () => {
  const line = readme.split("\n").find((l) => l.startsWith("Experiments: `"));
  assert.ok(line, "README: the 'Experiments:' line of the Slurm section is missing");
  for (const e of Object.keys(EXPERIMENTS)) assert.match(line, new RegExp(`\`${e}\``), `README: ${e} missing from '${line}'`);
  const profiles = new Set(Object.values(EXPERIMENTS).flatMap((e) => e.profiles));
  const section = readme.slice(readme.indexOf("### Profiles"), readme.indexOf("### Where things are"));
  for (const p of profiles) assert.match(section, new RegExp(`^- \`${p}\``, "m"), `README: profile '${p}' has no bullet under "### Profiles"`);
});

test("README: the quick start names every stage of make test", () => {
  const makefile = readFileSync(join(PROJECT_ROOT, "Makefile"), "utf8");
  const stages = makefile.split("\n").find((l) => l.startsWith("test:"))!.split(":")[1].trim().split(/\s+/).filter((s) => !["ensure-setup", "build"].includes(s));
  const words: Record<string, RegExp> = {
    "notebooks-check": /notebook-generator check/, unit: /unit tests/, "verify-reference": /reference runs re-verified/, "slurm-test": /Slurm array test/,
    "interrupt-test": /interrupt test/, "notebooks-smoke": /every notebook headless \(smoke\)/, "webgpu-smoke": /webgpu smoke/,
  };
  const line = readme.split("\n").find((l) => l.startsWith("make test "))!;
  for (const s of stages) {
    assert.ok(words[s], `Makefile test stage '${s}' is new: say it in the README's quick start and here`);
    assert.match(line, words[s], `README quick start: '${s}' missing from '${line}'`);
  }
});
