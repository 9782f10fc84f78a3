// Protocol tables: for each point of an experiment's protocol, what the paper says, what the
// authors' code does, what this profile does (read from the config object, so it cannot drift
// from what runs) and a verdict computed from the three.
import { stableStringify } from "../results/store";
import { Row } from "./tables";

/** Which source a profile tries to follow where the paper's text and the authors' code differ. */
export type Follows = "paper" | "authors-code";

export interface ProtocolPoint<C> {
  point: string;
  /** Config paths (dot-separated) this row describes; a path covers everything below it. */
  fields: string[];
  /** What the paper says ("" when it is silent). */
  paper: string;
  /** What the authors' code does ("" when not applicable). */
  code: string;
  /** The value (in the config's terms) the paper and the code correspond to; undefined = silent / not known. */
  paperValue?: unknown;
  codeValue?: unknown;
  /** The config's value for this point (default: the single field of `fields`). */
  read?: (cfg: C) => unknown;
  /** What this profile does, in words (default: the value as JSON). */
  does?: (cfg: C) => string;
  /** Why this workspace departs from its target, where it does so on purpose. */
  why?: string;
}

function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), obj);
}

const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

export function readPoint<C>(row: ProtocolPoint<C>, cfg: C): unknown {
  if (row.read) return row.read(cfg);
  if (row.fields.length !== 1) throw new Error(`protocol row '${row.point}' covers ${row.fields.length} fields: give it a read()`);
  return getPath(cfg, row.fields[0]);
}

/** A number as a person writes it: at most 6 significant digits, no float noise (55.00000000000001 -> 55). */
export function formatPlainNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "n/a" : x > 0 ? "unbounded" : "-unbounded";
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7)) return x.toExponential().replace(/\.?0+e/, "e").replace("e+", "e");
  return String(Number(x.toPrecision(6)));
}

/** A config value for people: numbers plainly, lists as words, objects as "key value" pairs, null as "none". */
export function describeValue(v: unknown): string {
  if (v === undefined) return "unset";
  if (v === null) return "none";
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatPlainNumber(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? `[${describeValue(x)}]` : describeValue(x))).join(", ");
  if (typeof v === "object") return Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => `${k} ${typeof x === "object" && x !== null ? `(${describeValue(x)})` : describeValue(x)}`).join(", ");
  return String(v);
}

/** `match`, `deviation: <why>` or `paper silent: <our choice>` for a profile following `follows`. */
export function verdict<C>(row: ProtocolPoint<C>, cfg: C, follows: Follows, reduced: boolean): string {
  const v = readPoint(row, cfg);
  const does = row.does ? row.does(cfg) : describeValue(v);
  const paperKnown = row.paperValue !== undefined;
  const codeKnown = row.codeValue !== undefined;
  if (follows === "paper" && !paperKnown) {
    const silent = row.paper === "" ? "paper silent" : "paper gives no single value";
    if (codeKnown && same(v, row.codeValue)) return `${silent}: as the authors' code`;
    if (codeKnown && reduced) return "deviation: reduced profile";
    return `${silent}: our choice (${row.why ?? does})`;
  }
  const target = follows === "paper" || !codeKnown ? row.paperValue : row.codeValue;
  if (target === undefined) return `not comparable: neither source states it (${row.why ?? does})`;
  if (same(v, target)) return "match";
  if (reduced) return `deviation: reduced profile${row.why ? ` (${row.why})` : ""}`;
  if (follows === "paper" && codeKnown && same(v, row.codeValue)) return `deviation: as the authors' code${row.why ? ` (${row.why})` : ""}`;
  return `deviation: ${row.why ?? "differs from its target"}`;
}

export interface ProfileMeta {
  reduced: boolean;
  follows?: Follows;
  /** Points this profile cuts on purpose (budget, seeds), by row name, with the reason: shown as the deviation's why. */
  cuts?: Record<string, string>;
}

/** The protocol table of a config: point | paper says | authors' code does | this profile does | verdict. */
export function protocolTable<C extends ProfileMeta>(rows: readonly ProtocolPoint<C>[], cfg: C): Row[] {
  const follows = cfg.follows ?? "paper";
  return rows.map((r) => ({
    point: r.point,
    "paper says": r.paper || "(silent)",
    "authors' code does": r.code || "(n/a)",
    "this profile does": r.does ? r.does(cfg) : describeValue(readPoint(r, cfg)),
    verdict: cutVerdict(verdict(r, cfg, follows, cfg.reduced), cfg.cuts?.[r.point]),
  }));
}

function cutVerdict(v: string, cut: string | undefined): string {
  if (!cut || v === "match") return v;
  // A point where the paper gives no single value can still be cut (e.g. the seeds of some strategies).
  return v.startsWith("deviation") ? `deviation: ${cut}` : `${v}; cut: ${cut}`;
}

/** Leaf paths of a config (arrays and null count as leaves), minus the ignored top-level keys. */
export function leafPaths(value: unknown, ignore: readonly string[] = [], prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && !(prefix === "" && ignore.includes(k)))
    .flatMap(([k, v]) => leafPaths(v, [], prefix ? `${prefix}.${k}` : k));
}

/** Profile-description fields that are not protocol points. */
export const PROFILE_META_FIELDS = ["profile", "reduced", "description", "follows", "paperOf", "cuts"] as const;

/** Config fields that no protocol row covers (a unit test keeps this empty for every paper profile). */
export function uncoveredFields<C>(cfg: C, rows: readonly ProtocolPoint<C>[]): string[] {
  const covered = rows.flatMap((r) => r.fields);
  return leafPaths(cfg, PROFILE_META_FIELDS).filter((p) => !covered.some((f) => p === f || p.startsWith(`${f}.`)));
}
