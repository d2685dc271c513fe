/**
 * The dashboard card and the blueprints in the Home Assistant config folder:
 * - copies the card bundle to `<config>/www/grill-stats/grill-stats-card.js` (served at /local);
 * - registers `/local/grill-stats/grill-stats-card.js?v=<version>` as a `module` resource
 *   (created once, its URL updated on upgrade, duplicates removed); in YAML mode logs the lines
 *   to add;
 * - copies our blueprints to `<config>/blueprints/automation/grill_stats/`, never over a file the
 *   user changed (only files still carrying our header are replaced).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorMessage, type Logger } from "../shared";
import { lovelaceResourceSchema, toHaError } from "./messages";

export const CARD_DIR = "grill-stats";
export const CARD_FILE = "grill-stats-card.js";
export const CARD_URL_PATH = `/local/${CARD_DIR}/${CARD_FILE}`;
/** First line of every blueprint we ship; files without it are the user's. */
export const BLUEPRINT_HEADER = "# Grill Stats blueprint";

const sameContent = (a: string, b: string): boolean => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** Copies the card bundle; returns false when it could not (missing bundle or config folder). */
export const installCardFile = (deps: { cardBundlePath: string; configDir: string; logger: Logger }): boolean => {
  const log = deps.logger;
  if (!existsSync(deps.configDir)) {
    log.warn(`Home Assistant config folder ${deps.configDir} not found; the card is not installed (map homeassistant_config, or add the card resource by hand)`);
    return false;
  }
  if (!existsSync(deps.cardBundlePath)) {
    log.warn(`card bundle ${deps.cardBundlePath} not found (run npm run build); the card is not installed`);
    return false;
  }
  const www = join(deps.configDir, "www");
  const wwwExisted = existsSync(www);
  const dest = join(www, CARD_DIR, CARD_FILE);
  try {
    mkdirSync(join(www, CARD_DIR), { recursive: true });
    if (!sameContent(deps.cardBundlePath, dest)) {
      copyFileSync(deps.cardBundlePath, dest);
      log.info(`card copied to ${dest}`);
    }
  } catch (err) {
    log.warn(`could not copy the card to ${dest}: ${errorMessage(err)}`);
    return false;
  }
  if (!wwwExisted) {
    log.warn(`created ${www}: Home Assistant serves /local only if that folder existed when it started — restart Home Assistant once so the card loads`);
  }
  return true;
};

/**
 * Copies `*.yaml` blueprints; a target file without our header (the user's edit) is left alone.
 * `replaced`: how many of the written files replaced an older version of ours (automations made
 * from them keep the old one until automations are reloaded).
 */
export const installBlueprints = (deps: { blueprintsDir: string; configDir: string; logger: Logger }): { written: number; replaced: number } => {
  const log = deps.logger;
  if (!existsSync(deps.blueprintsDir) || !existsSync(deps.configDir)) {
    log.debug("blueprints not installed (folder missing)", { blueprintsDir: deps.blueprintsDir, configDir: deps.configDir });
    return { written: 0, replaced: 0 };
  }
  const target = join(deps.configDir, "blueprints", "automation", "grill_stats");
  let written = 0;
  let replaced = 0;
  try {
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(deps.blueprintsDir)) {
      const src = join(deps.blueprintsDir, name);
      if (!/\.ya?ml$/.test(name) || !statSync(src).isFile()) continue;
      const dest = join(target, name);
      const content = readFileSync(src, "utf8");
      if (existsSync(dest)) {
        const current = readFileSync(dest, "utf8");
        if (current === content) continue;
        if (!current.startsWith(BLUEPRINT_HEADER)) {
          log.info(`blueprint ${dest} was changed by you; not replacing it`);
          continue;
        }
        replaced++;
      }
      writeFileSync(dest, content);
      written++;
    }
  } catch (err) {
    log.warn(`could not install blueprints into ${target}: ${errorMessage(err)}`);
  }
  if (written > 0) log.info(`installed ${written} blueprint(s) into ${target}`);
  return { written, replaced };
};

type Call = (msg: { type: string; [k: string]: unknown }) => Promise<unknown>;

export type ResourceOutcome = "created" | "updated" | "unchanged" | "yaml_mode" | "not_loaded" | "other_source" | "failed";

const pathOf = (url: string): string => url.split("?")[0] ?? url;

/**
 * Registers (or updates) the card resource; never duplicates it. While Core is still starting
 * (`coreStarting`) a missing `lovelace/resources` is lovelace not loaded yet ("not_loaded"), not
 * YAML mode.
 */
export const registerCardResource = async (deps: { call: Call; version: string; logger: Logger; coreStarting?: boolean }): Promise<ResourceOutcome> => {
  const log = deps.logger;
  const url = `${CARD_URL_PATH}?v=${encodeURIComponent(deps.version)}`;
  const yamlHelp = (): void =>
    log.warn(
      `your dashboards are in YAML mode, so the card resource cannot be registered automatically. Add this to configuration.yaml and restart Home Assistant:\n` +
        `lovelace:\n  resources:\n    - url: ${url}\n      type: module`,
    );
  /**
   * `lovelace/resources` lists in both modes; Core keeps it in storage mode only as an alias of
   * `lovelace/resources/list` "for backwards compatibility": a Core without it still has the list.
   */
  const listResources = async (): Promise<unknown> => {
    try {
      return await deps.call({ type: "lovelace/resources" });
    } catch (err) {
      if (toHaError(err).code !== "unknown_command") throw err;
      return deps.call({ type: "lovelace/resources/list" });
    }
  };
  try {
    const raw = await listResources();
    const list = (Array.isArray(raw) ? raw : []).flatMap((x) => {
      const r = lovelaceResourceSchema.safeParse(x);
      return r.success ? [r.data] : [];
    });
    const ours = list.filter((r) => pathOf(r.url) === CARD_URL_PATH);
    const elsewhere = list.find((r) => pathOf(r.url) !== CARD_URL_PATH && pathOf(r.url).endsWith(`/${CARD_FILE}`));
    if (ours.length === 0 && elsewhere) {
      // Installed through HACS (or by hand) already: a second copy would define the element twice.
      log.info(`the card is already loaded from ${elsewhere.url}; not adding ${CARD_URL_PATH}`);
      return "other_source";
    }
    const [first, ...extra] = ours;
    if (first && first.id === undefined) {
      // Declared in configuration.yaml (YAML mode lists no ids): only the user can change it.
      if (first.url === url) return "unchanged";
      yamlHelp();
      return "yaml_mode";
    }
    for (const dup of extra) if (dup.id !== undefined) await deps.call({ type: "lovelace/resources/delete", resource_id: dup.id });
    if (!first) {
      await deps.call({ type: "lovelace/resources/create", res_type: "module", url });
      log.info(`card registered as dashboard resource ${url}`);
      return "created";
    }
    if (first.url === url && extra.length === 0) return "unchanged";
    if (first.url !== url) {
      await deps.call({ type: "lovelace/resources/update", resource_id: first.id, res_type: "module", url });
      log.info(`card resource updated to ${url}`);
    }
    return "updated";
  } catch (err) {
    const e = toHaError(err);
    if (e.code === "unknown_command" && deps.coreStarting) {
      log.info("lovelace is not loaded yet (Home Assistant is starting); the card resource is registered once it has started");
      return "not_loaded";
    }
    if (e.code === "unknown_command") {
      yamlHelp();
      return "yaml_mode";
    }
    if (e.code === "connection_lost" || e.code === "not_connected") throw err;
    log.warn(`could not register the card resource: ${e.message}`, { code: e.code });
    return "failed";
  }
};
