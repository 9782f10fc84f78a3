import { test } from "node:test";
import assert from "node:assert/strict";
import { galProfile, galRunConfigs } from "../src/experiments/gal-mnist/index";
import { parseShard, selectShard } from "../src/loop/shard";
import { configKey } from "../src/results/store";

test("profiles expand to strategy x seed runs; the paper profile follows Pilz's protocol", () => {
  const paper = galProfile("paper");
  const runs = galRunConfigs(paper);
  assert.equal(runs.length, 5 * 3);
  assert.equal(paper.run.T, 64);
  assert.equal(paper.run.train.epochs, 400);
  assert.equal(paper.run.poolSubset, 5000);
  assert.equal(galProfile("smoke").reduced, true);
  assert.throws(() => galProfile("nope"), /unknown profile 'nope'/);
});

test("a malformed config names the field and the expected type", () => {
  const bad = galProfile("smoke");
  (bad.run as unknown as Record<string, unknown>).T = "64";
  assert.throws(() => galRunConfigs(bad), /gal-mnist config\.run\.T: expected a positive integer, got the string "64"/);
  const bad2 = galProfile("smoke");
  (bad2.run.train as unknown as Record<string, unknown>).loss = "hinge";
  assert.throws(() => galRunConfigs(bad2), /run\.train\.loss: expected one of "softmax-cross-entropy", "mse"/);
  const bad3 = galProfile("smoke");
  bad3.strategies = ["bald", "coreset?"];
  assert.throws(() => galRunConfigs(bad3), /unknown strategy 'coreset\?'/);
});

test("run keys are stable under key order and change with any field", () => {
  assert.equal(configKey({ a: 1, b: { c: 2, d: [1, 2] } }), configKey({ b: { d: [1, 2], c: 2 }, a: 1 }));
  assert.notEqual(configKey({ a: 1 }), configKey({ a: 2 }));
});

test("shards partition the sweep", () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  const parts = [0, 1, 2, 3].map((i) => selectShard(items, parseShard(`${i}/4`)));
  assert.deepEqual(parts.flat().sort((a, b) => a - b), items);
  assert.throws(() => parseShard("4/4"), /expected i\/n/);
  assert.throws(() => parseShard("x"), /expected i\/n/);
});
