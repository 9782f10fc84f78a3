// Validation of experiment configurations: an error names the field and the expected type.
export type FieldType =
  | "string" | "boolean" | "number" | "object" | "positive integer" | "non-negative integer"
  | "number[]" | "string[]" | readonly string[] | Schema | Optional;
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
  return typeof v === "string" ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`;
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
    for (const [k, t] of Object.entries(type as Schema)) check((value as Record<string, unknown>)[k], t, `${path}.${k}`);
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
    case "number[]":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail("an array of numbers");
      return;
    case "string[]":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) fail("an array of strings");
      return;
  }
}

/** Throws `<name>.<field>: expected <type>, got <value>` on the first bad field. */
export function validateConfig(value: unknown, schema: Schema, name: string): void {
  check(value, schema, name);
}
