/**
 * The parts of the Supervisor's add-on handling that the packaging tests need, written down
 * from `supervisor/apps/options.py`, `validate.py` and `app.py`: the options-schema element
 * syntax, how options are validated before /data/options.json is written, and how
 * `backup_exclude` globs are matched. Only the element types this add-on uses are supported;
 * anything else is reported as unsupported so a new type cannot slip through untested.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** RE_SCHEMA_ELEMENT of supervisor/apps/options.py (Python named groups → JS). */
export const SCHEMA_ELEMENT =
  /^(?:|bool|email|url|port|device(?:\((?<filter>subsystem=[a-z]+)\))?|str(?:\((?<s_min>\d+)?,(?<s_max>\d+)?\))?|password(?:\((?<p_min>\d+)?,(?<p_max>\d+)?\))?|int(?:\((?<i_min>-?\d+)?,(?<i_max>-?\d+)?\))?|float(?:\((?<f_min>-?\d*\.?\d+)?,(?<f_max>-?\d*\.?\d+)?\))?|match\((?<match>.*)\)|list\((?<list>.+)\))\??$/;

/** RE_DOCKER_IMAGE_BUILD of supervisor/apps/validate.py (build.yaml build_from). */
export const DOCKER_IMAGE_BUILD = /^([a-zA-Z\-.:\d{}]+\/)*?([-\w{}]+)\/([-\w{}]+)(:[.\-\w{}]+)?$/;

export type SchemaElement = string | [string];

export interface ParsedElement {
  type: "bool" | "email" | "password" | "str" | "int" | "match" | "list";
  optional: boolean;
  min: number | null;
  max: number | null;
  pattern: RegExp | null;
  choices: string[] | null;
  isList: boolean;
}

export const parseElement = (element: SchemaElement): ParsedElement => {
  const isList = Array.isArray(element);
  const raw = isList ? element[0] : element;
  const m = SCHEMA_ELEMENT.exec(raw);
  if (!m) throw new Error(`not a Supervisor schema element: ${raw}`);
  const type = /^[a-z]+/.exec(raw)?.[0] ?? "";
  if (!["bool", "email", "password", "str", "int", "match", "list"].includes(type)) {
    throw new Error(`schema element type not supported by this test: ${raw}`);
  }
  const g = m.groups ?? {};
  const num = (v: string | undefined): number | null => (v === undefined ? null : Number(v));
  return {
    type: type as ParsedElement["type"],
    optional: raw.endsWith("?"),
    min: num(g.i_min ?? g.s_min ?? g.p_min),
    max: num(g.i_max ?? g.s_max ?? g.p_max),
    // vol.Match uses re.match: anchored at the start only.
    pattern: g.match === undefined ? null : new RegExp(`^(?:${g.match})`),
    choices: g.list === undefined ? null : g.list.split("|"),
    isList,
  };
};

// voluptuous Email(): a pragmatic equivalent (user@domain.tld, no spaces).
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const validateSingle = (el: ParsedElement, key: string, value: unknown): string | null => {
  if (value === null || value === undefined) return `Missing required option '${key}'`;
  const inRange = (n: number): boolean =>
    (el.min === null || n >= el.min) && (el.max === null || n <= el.max);
  switch (el.type) {
    case "bool":
      return typeof value === "boolean" ? null : `${key}: expected a boolean`;
    case "email":
      return typeof value === "string" && EMAIL.test(value)
        ? null
        : `${key}: not an e-mail address`;
    case "str":
    case "password":
      return typeof value === "string" ? null : `${key}: expected a string`;
    case "int": {
      // vol.Coerce(int): Python's int() accepts ints and integral strings, truncates floats.
      const n =
        typeof value === "number"
          ? Math.trunc(value)
          : typeof value === "string" && /^-?\d+$/.test(value)
            ? Number(value)
            : NaN;
      if (Number.isNaN(n)) return `${key}: expected an integer`;
      return inRange(n) ? null : `${key}: ${n} is out of range`;
    }
    case "match":
      return el.pattern?.test(String(value))
        ? null
        : `${key}: does not match ${String(el.pattern)}`;
    case "list":
      return el.choices?.includes(String(value))
        ? null
        : `${key}: not one of ${el.choices?.join(", ")}`;
  }
};

/** AppOptions.__call__: unknown keys are dropped, every present key validated, missing non-optional keys refused. */
export const validateOptions = (
  schema: Record<string, SchemaElement>,
  options: Record<string, unknown>,
): { errors: string[]; options: Record<string, unknown> } => {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const element = schema[key];
    if (element === undefined) continue;
    const el = parseElement(element);
    if (el.isList) {
      if (!Array.isArray(value)) {
        errors.push(`Invalid list for option '${key}'`);
        continue;
      }
      const itemErrors = value
        .map((v) => validateSingle(el, key, v))
        .filter((e): e is string => e !== null);
      errors.push(...itemErrors);
    } else {
      const err = validateSingle(el, key, value);
      if (err) errors.push(err);
    }
    out[key] = value;
  }
  for (const key of Object.keys(schema)) {
    if (!(key in out) && !parseElement(schema[key] as SchemaElement).optional)
      errors.push(`Missing option '${key}'`);
  }
  return { errors, options: out };
};

/** PurePath.match with a relative pattern: glob-match the trailing path components. */
export const matchesExclude = (fullPath: string, pattern: string): boolean => {
  const toRe = (glob: string): RegExp =>
    new RegExp(
      `^${glob
        .replace(/[.+^${}()|\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]")}$`,
    );
  const patParts = pattern.split("/");
  const pathParts = fullPath.split("/").slice(-patParts.length);
  return (
    pathParts.length === patParts.length &&
    patParts.every((p, i) => toRe(p).test(pathParts[i] ?? ""))
  );
};

const mapEntry = z.union([
  z.string(),
  z.object({ type: z.string(), read_only: z.boolean().default(true), path: z.string().optional() }),
]);

/** The config.yaml keys the tests rely on (zod at the edge, here too). */
export const addonConfigSchema = z.object({
  name: z.string().min(1),
  version: z.string(),
  slug: z.string().regex(/^[-_.A-Za-z0-9]+$/),
  description: z.string().min(1),
  url: z.string().url(),
  arch: z.array(z.string()),
  startup: z.string(),
  boot: z.string(),
  init: z.boolean(),
  homeassistant: z.string(),
  ingress: z.boolean(),
  ingress_port: z.number().int(),
  panel_icon: z.string(),
  panel_title: z.string(),
  ports: z.record(z.string(), z.number().int().nullable()).optional(),
  homeassistant_api: z.boolean(),
  map: z.array(mapEntry),
  watchdog: z.string(),
  timeout: z.number().int(),
  backup: z.enum(["hot", "cold"]),
  backup_pre: z.string().optional(),
  backup_post: z.string().optional(),
  backup_exclude: z.array(z.string()).optional(),
  options: z.record(z.string(), z.unknown()),
  schema: z.record(z.string(), z.union([z.string(), z.tuple([z.string()])])),
});
export type AddonConfig = z.infer<typeof addonConfigSchema>;

export const readText = (rel: string): string => readFileSync(join(ROOT, rel), "utf8");
export const readYaml = (rel: string): unknown => parse(readText(rel)) as unknown;
export const readAddonConfig = (): AddonConfig => addonConfigSchema.parse(readYaml("config.yaml"));
