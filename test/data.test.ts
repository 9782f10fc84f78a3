import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx, parseIdx, readIdxFile } from "../src/data/idx";
import { ensureFile, md5Of, readVerified } from "../src/data/files";
import { ActivePool } from "../src/data/pool";
import { Rng } from "../src/seeding/rng";

const dir = mkdtempSync(join(tmpdir(), "bal-data-"));

test("idx loader reads a tiny file the test writes (raw and gzipped)", () => {
  const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
  const raw = encodeIdx([2, 3, 4], pixels);
  writeFileSync(join(dir, "tiny-idx3-ubyte"), raw);
  writeFileSync(join(dir, "tiny-idx3-ubyte.gz"), gzipSync(raw));
  for (const f of ["tiny-idx3-ubyte", "tiny-idx3-ubyte.gz"]) {
    const a = readIdxFile(join(dir, f));
    assert.deepEqual(a.dims, [2, 3, 4]);
    assert.deepEqual(Array.from(a.data), Array.from(pixels));
  }
});

test("idx loader rejects corrupted files, naming the file", () => {
  const raw = encodeIdx([5, 2], new Uint8Array(10));
  writeFileSync(join(dir, "truncated.idx"), raw.subarray(0, raw.length - 3));
  assert.throws(() => readIdxFile(join(dir, "truncated.idx")), /truncated\.idx: IDX size mismatch/);
  const gz = gzipSync(raw);
  writeFileSync(join(dir, "broken.gz"), gz.subarray(0, gz.length - 8));
  assert.throws(() => readIdxFile(join(dir, "broken.gz")), /broken\.gz: corrupt gzip data/);
  assert.throws(() => parseIdx(Buffer.from([1, 2, 3, 4, 5]), "x.idx"), /x\.idx: not an IDX file/);
});

test("checksum mismatch names the file and the expected checksum", () => {
  const path = join(dir, "file.bin");
  writeFileSync(path, "hello");
  assert.equal(readVerified(path, md5Of(Buffer.from("hello"))).toString(), "hello");
  const other = join(dir, "other.bin");
  writeFileSync(other, "tampered");
  assert.throws(() => readVerified(other, "0123456789abcdef0123456789abcdef"),
    (e: Error) => e.message.includes(other) && e.message.includes("expected md5 0123456789abcdef0123456789abcdef"));
});

test("a missing dataset file names the file and checksum when downloads are off", async () => {
  process.env.BAL_NO_DOWNLOAD = "1";
  await assert.rejects(ensureFile({ dataset: "mnist", name: "nope.gz", md5: "f".repeat(32), mirrors: [] }, dir),
    (e: Error) => e.message.includes(join(dir, "mnist", "nope.gz")) && e.message.includes("f".repeat(32)));
  delete process.env.BAL_NO_DOWNLOAD;
});

test("Gal split: validation and a balanced initial set, reproducible from the seed", () => {
  const labels = Uint8Array.from({ length: 500 }, (_, i) => i % 10);
  const a = ActivePool.galSplit(labels, 10, { validationSize: 50, initialPerClass: 2 }, new Rng(3));
  const b = ActivePool.galSplit(labels, 10, { validationSize: 50, initialPerClass: 2 }, new Rng(3));
  assert.deepEqual(a.snapshot(), b.snapshot());
  assert.equal(a.labelled.length, 20);
  const counts = new Array(10).fill(0);
  a.labelled.forEach((i) => counts[labels[i]]++);
  assert.deepEqual(counts, new Array(10).fill(2));
  const val = new Set(a.validation);
  assert.ok(a.labelled.every((i) => !val.has(i)));
  assert.equal(a.pool().length, 500 - 50 - 20);
  assert.throws(() => a.label([a.validation[0]]), /validation set/);
  assert.throws(() => a.label([a.labelled[0]]), /already labelled/);
});
