// Validation of experiment configurations: an error names the field and the expected type.
export type FieldType =
  | "string" | "boolean" | "number" | "object" | "positive integer" | "non-negative integer"
  | "positive number" | "non-negative number" | "fraction" | "profile name"
  | "number[]" | "string[]" | "non-empty number[]" | "non-empty string[]" | "seed list" | readonly string[] | Schema | Optional;

/** The largest seed: a 31-bit integer (every generator takes it exactly). */
export const MAX_SEED = 2 ** 31 - 1;

/** The optimiser block of every training config (AdamW; each field optional, defaults in training/adamw). */
export const OPTIMIZER_SCHEMA: Schema = {
  lr: { optional: "positive number" }, beta1: { optional: "fraction" }, beta2: { optional: "fraction" },
  eps: { optional: "positive number" }, weightDecay: { optional: "non-negative number" },
};
export interface Schema {
  [field: string]: FieldType;
}
/** A field that may be absent; when present it must have type `of`. */
export interface Optional {
  optional: FieldType;
}
export const optional = (of: FieldType): Optional => ({ optional: of });

function isOptional(t: FieldType): t is Optional {
  return typeof t === "object" && !Array.isArray(t) && "optional" in t && Object.keys(t).length === 1;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "number") return `number ${Number.isFinite(v) ? JSON.stringify(v) : String(v)}`; // JSON writes Infinity / NaN as null
  return typeof v === "string" ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`;
}

/** The first element of `list` that repeats an earlier one, as "[i] v", or null. */
function firstRepeat(list: readonly unknown[]): string | null {
  const seen = new Set<unknown>();
  for (let i = 0; i < list.length; i++) {
    if (seen.has(list[i])) return `[${i}] ${JSON.stringify(list[i])} (repeats an earlier element: one result would count twice)`;
    seen.add(list[i]);
  }
  return null;
}

function check(value: unknown, type: FieldType, path: string): void {
  const fail = (expected: string) => {
    throw new Error(`${path}: expected ${expected}, got ${value === undefined ? "nothing (missing)" : describe(value)}`);
  };
  if (isOptional(type)) {
    if (value !== undefined) check(value, type.optional, path);
    return;
  }
  if (Array.isArray(type)) {
    if (!type.includes(value as string)) fail(`one of ${type.map((t) => JSON.stringify(t)).join(", ")}`);
    return;
  }
  if (typeof type === "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) fail("an object");
    const schema = type as Schema;
    // An unknown field is a typo or a setting this version ignores: both would silently change the run key.
    for (const k of Object.keys(value as object)) {
      if (!(k in schema)) throw new Error(`${path}.${k}: unknown field (expected ${Object.keys(schema).join(", ")})`);
    }
    for (const [k, t] of Object.entries(schema)) check((value as Record<string, unknown>)[k], t, `${path}.${k}`);
    return;
  }
  switch (type) {
    case "string": case "boolean": case "number":
      if (typeof value !== type || (type === "number" && !Number.isFinite(value))) fail(`a ${type}`);
      return;
    case "object":
      if (value === null || typeof value !== "object") fail("an object");
      return;
    case "positive integer":
      if (!Number.isInteger(value) || (value as number) < 1) fail("a positive integer");
      return;
    case "non-negative integer":
      if (!Number.isInteger(value) || (value as number) < 0) fail("a non-negative integer");
      return;
    case "positive number":
      if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) fail("a positive number");
      return;
    case "non-negative number":
      if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) fail("a non-negative number");
      return;
    case "fraction":
      if (typeof value !== "number" || !(value >= 0 && value < 1)) fail("a number in [0, 1)");
      return;
    case "number[]":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail("an array of numbers");
      return;
    case "string[]":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) fail("an array of strings");
      return;
    case "non-empty number[]":
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail("a non-empty array of numbers");
      return;
    case "non-empty string[]": {
      if (!Array.isArray(value) || value.length === 0) fail("a non-empty array of strings");
      const list = value as unknown[];
      const bad = list.findIndex((v) => typeof v !== "string");
      if (bad >= 0) throw new Error(`${path}[${bad}]: expected a string, got ${describe(list[bad])}`);
      const rep = firstRepeat(list);
      if (rep) throw new Error(`${path}${rep}`);
      return;
    }
    case "seed list": {
      if (!Array.isArray(value) || value.length === 0) fail("a non-empty array of seeds");
      const list = value as unknown[];
      const bad = list.findIndex((v) => !Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_SEED);
      if (bad >= 0) throw new Error(`${path}[${bad}]: expected a seed, an integer from 0 to ${MAX_SEED}, got ${describe(list[bad])}`);
      const rep = firstRepeat(list);
      if (rep) throw new Error(`${path}${rep}`);
      return;
    }
    case "profile name":
      if (typeof value !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) fail("a profile name of letters, digits, '.', '_' or '-' (it names a results folder)");
      return;
  }
}

/** Throws `<name>.<field>: expected <type>, got <value>` on the first bad field. */
export function validateConfig(value: unknown, schema: Schema, name: string): void {
  check(value, schema, name);
}

/** The training block of every run config (training/train's TrainConfig). */
export const TRAIN_SCHEMA: Schema = {
  epochs: "positive integer", batchSize: "non-negative integer", patience: "non-negative integer", loss: ["softmax-cross-entropy", "mse"],
  optimizer: OPTIMIZER_SCHEMA, keepBestValidation: optional("boolean"), epochSamples: optional("non-negative integer"),
  l2: optional({ c: "non-negative number", layers: ["hidden-dense", "dense", "all"], fixed: optional("boolean") }),
  shuffle: optional("boolean"),
  augment: optional({ cropPadding: "non-negative integer", horizontalFlip: "boolean", padValue: "number[]" }),
  validationMcSamples: optional("positive integer"),
};

/** Optional fields any active-learning run config may carry (loop/active-learning's AlRunConfig). */
export const OPTIONAL_RUN_FIELDS: Schema = {
  testSubsetPerStep: optional("boolean"), testPrediction: optional(["deterministic", "mc-mean"]), testMcPasses: optional("non-negative integer"),
  poolSize: optional("non-negative integer"), initialSelection: optional(["balanced", "random"]),
  splitSeed: optional("non-negative integer"), initialPoolPositions: optional("number[]"), retrain: optional(["from-scratch", "continue"]),
  mcBatchNorm: optional(["inference", "batch-statistics"]), mcBatchSize: optional("positive integer"),
  strategyOptions: optional({
    varRatioScale: optional(["classes", "pool-subset"]), twoStage: optional(["top-k", "negated-argsort"]),
    discriminatorBatches: optional(["shuffled", "in-order"]),
  }),
  tuning: optional({ dropout: "object", c: "number[]" }),
  modelOptions: optional({ init: optional(["glorot", "pytorch"]), dropout: optional("number[]"), maxPool: optional("boolean") }),
};
