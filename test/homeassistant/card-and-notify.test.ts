import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/shared";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { delay, waitUntil } from "../support/ha-wait";
import { SETTINGS, makeWorld, startBridge, type Harness } from "./fixtures";

const CARD = "/local/grill-stats/grill-stats-card.js";

describe("Home Assistant bridge: card resource, blueprints, notifications", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let running: Harness[] = [];
  beforeEach(async () => {
    ha = await startHaStandIn();
    world = makeWorld();
  });
  afterEach(async () => {
    for (const h of running) await h.stop();
    running = [];
    await ha.stop();
    world.cleanup();
  });
  const start = async (opts: Parameters<typeof startBridge>[2] = {}): Promise<Harness> => {
    const h = await startBridge(ha, world, { initialSettings: SETTINGS, ...opts });
    running.push(h);
    return h;
  };
  const restart = async (opts: Parameters<typeof startBridge>[2] = {}): Promise<Harness> => {
    for (const h of running) await h.stop();
    running = [];
    return start(opts);
  };
  const resourceCalls = (): string[] => ha.received.map((f) => String(f.msg.type)).filter((t) => t.startsWith("lovelace/resources/"));

  it("copies the card, registers it once, and updates the URL on a new version", async () => {
    const h = await start();
    await waitUntil(() => ha.lovelaceResources.length === 1, "resource registered");
    expect(ha.lovelaceResources[0]).toMatchObject({ type: "module", url: `${CARD}?v=1.0.0` });
    expect(readFileSync(join(world.configDir, "www", "grill-stats", "grill-stats-card.js"), "utf8")).toBe(readFileSync(world.cardBundlePath, "utf8"));
    expect(h.logger.lines.some((l) => l.includes("restart Home Assistant once"))).toBe(true);
    const id = ha.lovelaceResources[0]?.id;

    const again = await restart();
    await waitUntil(() => ha.received.filter((f) => f.msg.type === "lovelace/resources").length === 2, "resources listed again");
    expect(resourceCalls()).toEqual(["lovelace/resources/create"]);
    expect(again.logger.lines.some((l) => l.includes("restart Home Assistant once"))).toBe(false);

    await restart({ version: "1.1.0" });
    await waitUntil(() => ha.lovelaceResources[0]?.url === `${CARD}?v=1.1.0`, "resource URL updated");
    expect(ha.lovelaceResources).toHaveLength(1);
    expect(ha.lovelaceResources[0]?.id).toBe(id);
  });

  it("in YAML dashboard mode it logs the exact lines to add", async () => {
    ha.setLovelaceMode("yaml");
    const h = await start();
    await waitUntil(() => h.logger.lines.some((l) => l.includes("YAML mode")), "instructions logged");
    const line = h.logger.lines.find((l) => l.includes("YAML mode")) ?? "";
    expect(line).toContain(`lovelace:\n  resources:\n    - url: ${CARD}?v=1.0.0\n      type: module`);
    expect(h.bridge.status().connected).toBe(true);
  });

  it("registers the card with a Core that has dropped the old lovelace/resources alias", async () => {
    await ha.stop();
    ha = await startHaStandIn({ unsupportedCommands: ["lovelace/resources"] });
    const h = await start();
    await waitUntil(() => ha.lovelaceResources.length === 1, "resource registered");
    expect(ha.lovelaceResources[0]).toMatchObject({ type: "module", url: `${CARD}?v=1.0.0` });
    expect(h.logger.lines.some((l) => l.includes("YAML mode"))).toBe(false);
  });

  it("in YAML dashboard mode it reads the declared resources as Core lists them (no ids)", async () => {
    ha.setLovelaceMode("yaml");
    const yamlWarned = (h: Harness): boolean => h.logger.lines.some((l) => l.includes("YAML mode"));
    const listed = (n: number) => waitUntil(() => ha.received.filter((f) => f.msg.type === "lovelace/resources").length === n, `resources listed ${n}×`);
    // Declared by the user with this version: nothing to say, nothing to create.
    ha.yamlResources.push({ type: "module", url: `${CARD}?v=1.0.0` });
    let h = await start();
    await listed(1);
    await delay(200);
    expect(yamlWarned(h)).toBe(false);
    expect(resourceCalls()).toEqual([]);
    // Declared from HACS: not a second copy.
    ha.yamlResources.splice(0, 1, { type: "module", url: "/hacsfiles/grill-stats/grill-stats-card.js" });
    h = await restart();
    await listed(2);
    await waitUntil(() => h.logger.lines.some((l) => l.includes("already loaded from /hacsfiles/")), "HACS copy noticed");
    expect(yamlWarned(h)).toBe(false);
    // An older version declared: the lines with the new one.
    ha.yamlResources.splice(0, 1, { type: "module", url: `${CARD}?v=0.9.0` });
    h = await restart();
    await waitUntil(() => yamlWarned(h), "YAML lines logged");
    expect(h.logger.lines.find((l) => l.includes("YAML mode"))).toContain(`- url: ${CARD}?v=1.0.0`);
    expect(resourceCalls()).toEqual([]);
  });

  it("does not add a second copy when the card is already loaded from HACS, and removes our duplicates", async () => {
    ha.lovelaceResources.push({ id: "hacs1", type: "module", url: "/hacsfiles/grill-stats/grill-stats-card.js?hacstag=1" });
    const h = await start();
    await waitUntil(() => h.logger.lines.some((l) => l.includes("already loaded from")), "HACS copy noticed");
    expect(ha.lovelaceResources.map((r) => r.id)).toEqual(["hacs1"]);

    ha.lovelaceResources.splice(0, 1, { id: "a", type: "module", url: `${CARD}?v=0.9` }, { id: "b", type: "module", url: `${CARD}?v=0.9` });
    await restart();
    await waitUntil(() => ha.lovelaceResources.length === 1 && ha.lovelaceResources[0]?.url === `${CARD}?v=1.0.0`, "one resource left");
    expect(ha.lovelaceResources[0]?.id).toBe("a");
  });

  it("with install_card off it neither copies nor registers the card", async () => {
    await start({ installCard: false });
    expect(existsSync(join(world.configDir, "www"))).toBe(false);
    expect(resourceCalls()).toEqual([]);
    expect(ha.received.some((f) => f.msg.type === "lovelace/resources")).toBe(false);
  });

  it("copies the blueprints but never over a file the user changed", async () => {
    const dir = join(world.configDir, "blueprints", "automation", "grill_stats");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "grill_stats_probe_offline.yaml"), "blueprint:\n  name: mine\n");
    writeFileSync(join(dir, "grill_stats_pit_out_of_range.yaml"), "# Grill Stats blueprint (old)\nblueprint: {}\n");
    await start();
    expect(readFileSync(join(dir, "grill_stats_probe_offline.yaml"), "utf8")).toBe("blueprint:\n  name: mine\n");
    expect(readFileSync(join(dir, "grill_stats_pit_out_of_range.yaml"), "utf8")).toBe(readFileSync(join(world.blueprintsDir, "grill_stats_pit_out_of_range.yaml"), "utf8"));
    expect(existsSync(join(dir, "grill_stats_probe_target_reached.yaml"))).toBe(true);
    // An older version of ours was replaced: automations made from it are reloaded, once.
    const reloads = (): number => ha.serviceCalls.filter((c) => c.domain === "automation" && c.service === "reload").length;
    await waitUntil(() => reloads() === 1, "automations reloaded");
    // Up to date (or only the user's own edits left alone): nothing to reload.
    await restart();
    await waitUntil(() => ha.received.filter((f) => f.msg.type === "lovelace/resources").length === 2, "resources listed again");
    await delay(300);
    expect(reloads()).toBe(1);
  });

  it("reloads no automations on a first install of the blueprints", async () => {
    await start();
    await waitUntil(() => ha.received.some((f) => f.msg.type === "lovelace/resources"), "set up");
    await delay(300);
    expect(existsSync(join(world.configDir, "blueprints", "automation", "grill_stats", "grill_stats_probe_offline.yaml"))).toBe(true);
    expect(ha.serviceCalls.filter((c) => c.domain === "automation")).toEqual([]);
  });

  it("delivers alarms as actionable pushes, persistent notifications and events; rejects when it cannot", async () => {
    const { bridge } = await start();
    const n = bridge.notifier;
    expect(n.isConnected()).toBe(true);
    await n.deliver("notify.mobile_app_phone", { title: "Target reached", message: "Brisket reached 95 °C", alarmId: "10061c6f4770_1:target", actions: true, data: { priority: "high" } });
    const push = ha.serviceCalls.find((c) => c.domain === "notify");
    expect(push).toMatchObject({
      service: "mobile_app_phone",
      ok: true,
      data: {
        title: "Target reached",
        message: "Brisket reached 95 °C",
        data: {
          tag: "grill_stats_10061c6f4770_1_target",
          priority: "high",
          actions: [
            { action: "GRILL_STATS_ACK_10061c6f4770_1.3Atarget", title: "Acknowledge" },
            { action: "GRILL_STATS_SNOOZE_10061c6f4770_1.3Atarget", title: "Snooze 10 min" },
          ],
        },
      },
    });

    await n.deliver("persistent_notification", { title: "Too hot", message: "Pit at 150 °C", alarmId: "10061c6f4770_2:high" });
    expect(ha.states.get("persistent_notification.grill_stats_10061c6f4770_2_high")?.state).toBe("notifying");
    await n.deliver("persistent_notification.dismiss", { title: "", message: "", alarmId: "10061c6f4770_2:high" });
    expect(ha.states.has("persistent_notification.grill_stats_10061c6f4770_2_high")).toBe(false);

    // As the alarm service sends it: a probe alarm has no device_key of its own; the event names the device.
    await n.deliver("event", { title: "Too hot", message: "Pit at 150 °C", alarmId: "10061c6f4770_2:high", data: { alarm_id: "10061c6f4770_2:high", transition: "raised", probe_id: "10061c6f4770_2", device_key: null } });
    expect(ha.firedEvents.at(-1)).toMatchObject({ eventType: "grill_stats_alarm", data: { alarm_id: "10061c6f4770_2:high", transition: "raised", probe_name: "Pit", device_label: "Signals", device_key: "10061c6f4770", entity_id: "sensor.grill_stats_10061c6f4770_2_temperature" } });

    const unknown = await n.deliver("notify.no_such_phone", { title: "t", message: "m", alarmId: "x:y" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UpstreamError);
    expect(unknown).toMatchObject({ retryable: false, status: 404 });
    await expect(n.deliver("sms", { title: "t", message: "m", alarmId: "x:y" })).rejects.toThrow(/unknown alarm channel/);

    await ha.restart({ downMs: 300 });
    const away = await n.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "x:y" }).catch((e: unknown) => e);
    expect(away).toMatchObject({ retryable: true });
  });

  it("sends a label with template delimiters as text, never as a template Home Assistant would render", async () => {
    const { bridge } = await start();
    const message = "Rack {#2} {{ states('sensor.x') }} {% if 1 %} reached 95 °C";
    await bridge.notifier.deliver("notify.mobile_app_phone", { title: "Grill Stats · {{ 7*7 }}", message, alarmId: "10061c6f4770_1:target" });
    const push = ha.serviceCalls.filter((c) => c.domain === "notify").at(-1);
    expect(push?.ok).toBe(true);
    const sent = push?.data as { title: string; message: string };
    expect(sent.message).not.toMatch(/\{[{%#]/);
    // What a person reads is unchanged.
    expect(sent.message.replaceAll("\u200b", "")).toBe(message);
    expect(sent.title.replaceAll("\u200b", "")).toBe("Grill Stats · {{ 7*7 }}");
    // So too a persistent notification (older Cores render its title and message as templates).
    await bridge.notifier.deliver("persistent_notification", { title: "Grill Stats · {{ 7*7 }}", message, alarmId: "10061c6f4770_1:target" });
    const card = ha.serviceCalls.filter((c) => c.domain === "persistent_notification").at(-1)?.data as { title: string; message: string };
    expect(card.title).not.toMatch(/\{[{%#]/);
    expect(card.message).not.toMatch(/\{[{%#]/);
    expect(card.title.replaceAll("\u200b", "")).toBe("Grill Stats · {{ 7*7 }}");
  });

  it("titles a push's buttons in the language of its title and message; English without one", async () => {
    const { bridge } = await start();
    const buttons = async (language: string | undefined): Promise<unknown> => {
      await bridge.notifier.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "10061c6f4770_1:target", actions: true, ...(language ? { language } : {}) });
      // The newest push: the bridge's start-up input_number.set_value calls (settings helpers) may land after it.
      return (ha.serviceCalls.filter((c) => c.domain === "notify").at(-1)?.data.data as { actions?: unknown }).actions;
    };
    expect(await buttons("en")).toEqual([
      { action: "GRILL_STATS_ACK_10061c6f4770_1.3Atarget", title: "Acknowledge" },
      { action: "GRILL_STATS_SNOOZE_10061c6f4770_1.3Atarget", title: "Snooze 10 min" },
    ]);
    const titles = async (language: string): Promise<string[]> => ((await buttons(language)) as Array<{ title: string }>).map((b) => b.title);
    expect(await titles("de")).toEqual(["Bestätigen", "10 Min. schlummern"]);
    expect(await titles("fr-BE")).toEqual(["Acquitter", "Reporter de 10 min"]);
    expect(await titles("nl")).toEqual(["Bevestigen", "10 min sluimeren"]);
    expect(await buttons("it")).toEqual(await buttons(undefined));
  });
});
