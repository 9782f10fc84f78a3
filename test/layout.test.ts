// The house rules of src/: one folder per paper under src/experiments/ with the same files, no file
// there longer than ~250 lines, no import circle anywhere, and the run keys of every profile fixed
// (test/fixtures/run-keys.json: count and sha256 of each profile's keys; a change of protocol that
// changes keys must update it on purpose with tools/update-run-keys.js, since committed results are found by key).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { EXPERIMENTS } from "../src/experiments/registry";
import { runKey } from "../src/loop/active-learning";

const ROOT = resolve(__dirname, "..", "..");
const SRC = join(ROOT, "src");
const PAPER_FILES = ["claims.ts", "index.ts", "profiles.ts", "protocol.ts", "published.ts", "report.ts"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports of a source file, resolved to files (a folder import is its index.ts). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => m[1]);
  return specs.map((s) => {
    const p = resolve(dirname(file), s);
    if (existsSync(`${p}.ts`)) return `${p}.ts`;
    if (existsSync(join(p, "index.ts"))) return join(p, "index.ts");
    throw new Error(`${file}: import '${s}' resolves to no file`);
  });
}

/** One import circle of the graph (as a list of files), or null. */
export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === "done") return null;
    if (state.get(n) === "open") return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, "done");
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

test("the circle finder finds a circle and passes a tree", () => {
  assert.deepEqual(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), ["a", "b", "c", "a"]);
  assert.equal(findCycle(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]])), null);
});

test("no import circle anywhere in src/", () => {
  const graph = new Map(tsFiles(SRC).map((f) => [f, importsOf(f)]));
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import circle: ${cycle?.map((f) => f.slice(ROOT.length + 1)).join(" -> ")}`);
});

test("every import names a file, never a bare folder: tslab (the notebooks' kernel) resolves files only", () => {
  const bare: string[] = [];
  const check = (from: string, spec: string, base: string) => {
    const p = resolve(base, spec);
    if (!existsSync(`${p}.ts`) && existsSync(join(p, "index.ts"))) bare.push(`${from.slice(ROOT.length + 1)}: '${spec}' (write '${spec}/index')`);
  };
  for (const file of tsFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms)) check(file, m[1], dirname(file));
  }
  const nbgen = join(ROOT, "tools", "nbgen");
  for (const f of readdirSync(nbgen).filter((x) => x.endsWith(".py"))) {
    for (const m of readFileSync(join(nbgen, f), "utf8").matchAll(/from "(\.\/src\/[^"]+)"/g)) check(join(nbgen, f), m[1], ROOT);
  }
  assert.deepEqual(bare, []);
});

test("every paper folder under src/experiments/ has the same files, none longer than ~250 lines", () => {
  const dir = join(SRC, "experiments");
  const folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  assert.deepEqual(folders.sort(), ["deimos", "gal-mnist", "hybrid", "softmax-repeated-mnist", "survey"]);
  for (const f of folders) assert.deepEqual(readdirSync(join(dir, f)).sort(), PAPER_FILES, `src/experiments/${f}/`);
  for (const file of tsFiles(dir)) {
    const lines = readFileSync(file, "utf8").split("\n").length;
    assert.ok(lines <= 260, `${file.slice(ROOT.length + 1)}: ${lines} lines (the house keeps experiment files to ~250)`);
  }
});

test("the run keys of every profile are unchanged (test/fixtures/run-keys.json)", () => {
  const fixture = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "run-keys.json"), "utf8")) as Record<string, Record<string, { runs: number; sha256: string }>>;
  assert.deepEqual(Object.keys(EXPERIMENTS).sort(), Object.keys(fixture).sort());
  for (const [name, entry] of Object.entries(EXPERIMENTS)) {
    assert.deepEqual(entry.profiles.slice().sort(), Object.keys(fixture[name]).sort(), `${name}: profiles`);
    for (const profile of entry.profiles) {
      const keys = entry.load(profile).sweep.runs.map(runKey);
      const got = { runs: keys.length, sha256: createHash("sha256").update(keys.join("\n")).digest("hex") };
      assert.deepEqual(got, fixture[name][profile], `${name} / ${profile}: run keys differ from test/fixtures/run-keys.json`);
    }
  }
});
