import { test } from "node:test";
import assert from "node:assert/strict";
import { batchDiversity, greedyKCenter, minDistances } from "../src/acquisition/diversity";

test("minimum distances: hand case, and a labelled point has distance 0", () => {
  const labelled = [0, 0, 3, 4];
  const candidates = [0, 0, 6, 8, 3, 0];
  assert.deepEqual(Array.from(minDistances(candidates, labelled, 2)), [0, 5, 3]);
  assert.deepEqual(Array.from(minDistances([1, 1], [], 2)), [Infinity]);
  assert.throws(() => minDistances([1, 2, 3], [0, 0], 2), /multiples of the dimension 2/);
});

test("greedy k-center takes the farthest point, then the farthest from all centres", () => {
  // 1-D points: labelled at 0; candidates at 1, 10, 9, 5.
  const picked = greedyKCenter([1, 10, 9, 5], [0], 1, 3);
  // 10 is farthest from 0; then 5 (distance 5 from both 0 and 10); then 1 and 9 tie at distance 1
  // and the lower index wins.
  assert.deepEqual(picked, [1, 3, 0]);
  // With nothing labelled the first pick is the first candidate (all at infinite distance).
  assert.equal(greedyKCenter([2, 7], [], 1, 1)[0], 0);
});

test("batch diversity: mean symmetric KL over pairs", () => {
  const p = [0.5, 0.5];
  const q = [0.9, 0.1];
  const skl = 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1) + 0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5);
  assert.ok(Math.abs(batchDiversity([...p, ...q], 2) - skl) < 1e-12);
  assert.equal(batchDiversity([...p, ...p, ...p], 2), 0);
  assert.equal(batchDiversity(p, 2), 0);
  // Three points: the mean of the three pair values.
  const three = batchDiversity([...p, ...q, ...p], 2);
  assert.ok(Math.abs(three - (2 * skl) / 3) < 1e-12);
});
