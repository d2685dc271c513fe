import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCookCsv as parseBacktestCsv } from "../../src/analytics/backtest/csv";
import { replayCook } from "../../src/analytics/backtest/replay";
import type { BusEvents, Cook, CookEvent } from "../../src/shared";
import { MEAT, PIT, T0, request, seedCook, startHarness, type Harness } from "./harness";

type ErrorBody = { error: { code: string; message: string } };
type Summary = { durationMs: number; running: boolean; probes: Array<{ probeId: string; name: string; minC: number; maxC: number; lastC: number; targetC: number | null; targetReachedMs: number | null }> };
type Detail = { cook: Cook; events: CookEvent[]; summary: Summary; neighbours: { previous: Cook | null; next: Cook | null } };

const COOKS_DIR = process.env.GRILL_STATS_COOKS_DIR ?? join(process.cwd(), "..", "shared", "data", "cooks");

/** The recorded-cook CSV format (shared/data/cooks/README.md), parsed strictly. */
const parseCookCsv = (text: string): Array<{ tS: number; probe: string; tempC: number; role: string }> => {
  const [header, ...lines] = text.trimEnd().split("\n");
  expect(header).toBe("t_s,probe,temp_c,role");
  return lines.map((line) => {
    const m = /^(\d+),([^,]+),(-?\d+\.\d{2}),(meat|pit|ambient)$/.exec(line);
    if (!m) throw new Error(`not in the cooks CSV format: ${line}`);
    return { tS: Number(m[1]), probe: m[2] as string, tempC: Number(m[3]), role: m[4] as string };
  });
};

describe("cooks API", () => {
  let h: Harness;
  let cook: Cook;
  const start = T0 - 3 * 3600_000;
  const end = start + 120 * 60_000;
  const changes: Array<BusEvents["cook:changed"]> = [];

  beforeEach(async () => {
    h = await startHarness();
    seedCook(h.store, { startMs: start, minutes: 120 });
    cook = h.store.createCook({ name: "Brisket", startMs: start, probeIds: [MEAT, PIT], targets: { [MEAT]: 40 } });
    cook = h.store.updateCook(cook.id, { endMs: end });
    changes.length = 0;
    h.bus.on("cook:changed", (c) => changes.push(c));
  });
  afterEach(async () => h.close());

  it("lists cooks newest first with duration and per-probe max temperatures", async () => {
    const later = h.store.createCook({ name: "Ribs", startMs: end + 3600_000, probeIds: [MEAT] });
    const res = await request<{ cooks: Array<Cook & { summary: Summary }>; nextBefore: number | null }>(`${h.url}/api/cooks`);
    expect(res.status).toBe(200);
    expect(res.body.cooks.map((c) => c.id)).toEqual([later.id, cook.id]);
    const brisket = res.body.cooks[1];
    expect(brisket?.summary.durationMs).toBe(120 * 60_000);
    expect(brisket?.summary.running).toBe(false);
    expect(brisket?.summary.probes.find((p) => p.probeId === MEAT)).toMatchObject({ name: "Brisket", minC: 5, maxC: 77 });
    expect(res.body.nextBefore).toBeNull();
    const page = await request<{ cooks: Cook[]; nextBefore: number | null }>(`${h.url}/api/cooks?limit=1`);
    expect(page.body.cooks.map((c) => c.id)).toEqual([later.id]);
    const older = await request<{ cooks: Cook[] }>(`${h.url}/api/cooks?limit=1&before=${page.body.nextBefore}`);
    expect(older.body.cooks.map((c) => c.id)).toEqual([cook.id]);
    expect((await request(`${h.url}/api/cooks?limit=0`)).status).toBe(400);
  });

  it("shows a cook with its events and a summary (target reached time)", async () => {
    h.store.addCookEvent({ cookId: cook.id, tsMs: start + 60_000, kind: "wrap", text: "butcher paper" });
    const res = await request<Detail>(`${h.url}/api/cooks/${cook.id}`);
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([expect.objectContaining({ kind: "wrap", text: "butcher paper" })]);
    const meat = res.body.summary.probes.find((p) => p.probeId === MEAT);
    // 5 + 0.3·i °C every 30 s reaches 40 °C at i = 117 (116.67 rounded up).
    expect(meat).toMatchObject({ targetC: 40, maxC: 77, lastC: 77 });
    expect(meat?.targetReachedMs).toBeGreaterThanOrEqual(start + 116 * 30_000);
    expect(meat?.targetReachedMs).toBeLessThanOrEqual(start + 118 * 30_000);
    expect((await request<ErrorBody>(`${h.url}/api/cooks/999`)).status).toBe(404);
    expect((await request<ErrorBody>(`${h.url}/api/cooks/abc`)).body.error.code).toBe("not_found");
  });

  it("renames, adds notes and targets, and emits cook:changed", async () => {
    const res = await request<Cook>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { name: " Sunday brisket ", notes: "Post oak", targets: { [MEAT]: 95 } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Sunday brisket", notes: "Post oak", targets: { [MEAT]: 95 } });
    expect(h.store.getCook(cook.id)?.name).toBe("Sunday brisket");
    expect(changes).toEqual([{ cook: res.body, change: "updated" }]);
    const bad = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { name: "" } });
    expect(bad.status).toBe(400);
    const strange = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { targets: { other_1: 90 } } });
    expect(strange.status).toBe(400);
    expect(strange.body.error.message).toContain("not part of this cook");
    expect((await request(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { endMs: 1 } })).status).toBe(400);
  });

  it("a running cook's target is its probe's target now; a past cook's is its record only", async () => {
    const settings: Array<BusEvents["settings:changed"]> = [];
    h.bus.on("settings:changed", (s) => settings.push(s));
    // The past cook (the fixture's): the probe's live target stays.
    await request(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { targets: { [MEAT]: 88 } } });
    expect(h.store.getSettings(MEAT).targetC).not.toBe(88);
    expect(settings).toEqual([]);
    const running = h.store.createCook({ name: "Now", startMs: end + 60_000, probeIds: [MEAT, PIT], targets: { [MEAT]: 95 } });
    const res = await request<Cook>(`${h.url}/api/cooks/${running.id}`, { method: "PATCH", json: { targets: { [MEAT]: 90 } } });
    expect(res.body.targets).toEqual({ [MEAT]: 90 });
    expect(h.store.getSettings(MEAT).targetC).toBe(90);
    expect(settings).toEqual([{ settings: expect.objectContaining({ probeId: MEAT, targetC: 90 }), source: "api" }]);
  });

  it("takes control and bidi-override characters out of names, notes and annotations", async () => {
    const patch = (json: unknown) => request<Cook & ErrorBody>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json });
    for (const name of ["\u0000", "\u202e", " \u0007 "]) {
      const res = await patch({ name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.message).toBe("body.name: must not be empty");
    }
    expect((await patch({ name: "\u202eBrisket\u0000", notes: "Post oak\n\tthen cherry\u202e" })).body).toMatchObject({ name: "Brisket", notes: "Post oak\n\tthen cherry" });
    const note = await request<CookEvent>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: start + 60_000, kind: "note", text: "wrap\u202d\u0008 in paper" } });
    expect(note.body.text).toBe("wrap in paper");
  });

  it("merges targets into the cook's, null takes one away, and a key that is no probe of the cook is refused", async () => {
    const patch = (body: string) => request<Cook & ErrorBody>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", body, headers: { "content-type": "application/json" } });
    expect((await patch(JSON.stringify({ targets: { [PIT]: 120 } }))).body.targets).toEqual({ [MEAT]: 40, [PIT]: 120 });
    expect((await patch(JSON.stringify({ targets: { [MEAT]: null } }))).body.targets).toEqual({ [PIT]: 120 });
    // JSON's "__proto__" is an ordinary key: refused like any other stranger, the targets untouched.
    const proto = await patch('{"targets":{"__proto__":90}}');
    expect(proto.status).toBe(400);
    expect(proto.body.error.message).toContain("body.targets.__proto__");
    expect(h.store.getCook(cook.id)?.targets).toEqual({ [PIT]: 120 });
  });

  it("adds and deletes timed annotations", async () => {
    const events: CookEvent[] = [];
    h.bus.on("cook:event", (e) => events.push(e));
    const add = await request<CookEvent>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: start + 3600_000, kind: "spritz", text: "apple juice", probeId: MEAT } });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ cookId: cook.id, kind: "spritz", text: "apple juice", probeId: MEAT });
    expect(events).toEqual([add.body]);
    expect(h.store.listCookEvents(cook.id)).toHaveLength(1);

    const outside = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: start - 3600_000, kind: "note", text: "x" } });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain("body.tsMs");
    const party = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: start + 1, kind: "party", text: "" } });
    expect(party.status).toBe(400);
    expect(party.body.error.message).toContain("body.kind");
    // Every kind the timeline holds can be added by hand, the lid closing too (it was refused).
    const closed = await request<CookEvent>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: start + 2, kind: "lid_closed" } });
    expect(closed.status).toBe(201);
    expect((await request(`${h.url}/api/cooks/${cook.id}/events/${closed.body.id}`, { method: "DELETE" })).status).toBe(204);

    const del = await request(`${h.url}/api/cooks/${cook.id}/events/${add.body.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(h.store.listCookEvents(cook.id)).toEqual([]);
    expect((await request(`${h.url}/api/cooks/${cook.id}/events/${add.body.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("names a cook's neighbours, the two it can be merged with, however many cooks came after (and two that started together by id)", async () => {
    // 120 newer cooks, an hour apart; the panel had asked for the newest 100 and found none for the oldest.
    const newer = Array.from({ length: 120 }, (_, i) => h.store.updateCook(h.store.createCook({ name: `Cook ${i}`, startMs: end + i * 3600_000, probeIds: [MEAT] }).id, { endMs: end + i * 3600_000 + 1800_000 }));
    const twin = h.store.updateCook(h.store.createCook({ name: "Same start", startMs: start, probeIds: [PIT] }).id, { endMs: start + 600_000 });
    const detail = async (id: number) => (await request<Detail>(`${h.url}/api/cooks/${id}`)).body.neighbours;
    expect(await detail(cook.id)).toEqual({ previous: null, next: twin });
    expect(await detail(twin.id)).toEqual({ previous: cook, next: newer[0] });
    expect(await detail(newer[60]!.id)).toEqual({ previous: newer[59], next: newer[61] });
    expect(await detail(newer[119]!.id)).toEqual({ previous: newer[118], next: null });
    // Each is one the merge takes (no cook between).
    const merged = await request<{ cook: Cook }>(`${h.url}/api/cooks/${cook.id}/merge`, { method: "POST", json: { otherId: twin.id } });
    expect(merged.status).toBe(200);
    expect((await request(`${h.url}/api/cooks/${newer[60]!.id}/merge`, { method: "POST", json: { otherId: newer[59]!.id } })).status).toBe(200);
  });

  it("splits a cook at a time and merges it back", async () => {
    const atMs = start + 3600_000;
    const split = await request<{ cook: Cook; newCook: Cook }>(`${h.url}/api/cooks/${cook.id}/split`, { method: "POST", json: { atMs } });
    expect(split.status).toBe(200);
    expect(split.body.cook.endMs).toBe(atMs);
    expect(split.body.newCook.startMs).toBe(atMs);
    expect(changes.map((c) => c.change)).toEqual(["updated", "updated"]);
    expect(split.body.newCook.name).toBe(`${cook.name} (part 2)`);
    const outside = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}/split`, { method: "POST", json: { atMs: start } });
    expect(outside.status).toBe(400);
    const blank = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}/split`, { method: "POST", json: { atMs: atMs - 60_000, name: " " } });
    expect({ status: blank.status, message: blank.body.error.message }).toEqual({ status: 400, message: "body.name: must not be empty" });

    const merged = await request<{ cook: Cook }>(`${h.url}/api/cooks/${cook.id}/merge`, { method: "POST", json: { otherId: split.body.newCook.id } });
    expect(merged.status).toBe(200);
    expect(merged.body.cook).toMatchObject({ id: cook.id, startMs: start, endMs: end });
    expect(h.store.getCook(split.body.newCook.id)).toBeNull();
    expect(changes.slice(2).map((c) => c.change)).toEqual(["deleted", "updated"]);
    expect((await request(`${h.url}/api/cooks/${cook.id}/merge`, { method: "POST", json: { otherId: cook.id } })).status).toBe(400);
    expect((await request(`${h.url}/api/cooks/${cook.id}/merge`, { method: "POST", json: { otherId: 999 } })).status).toBe(404);
  });

  it("deletes a cook and emits cook:changed deleted", async () => {
    const res = await request(`${h.url}/api/cooks/${cook.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(h.store.getCook(cook.id)).toBeNull();
    expect(changes).toEqual([{ cook, change: "deleted" }]);
    expect((await request(`${h.url}/api/cooks/${cook.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("exports CSV in the recorded-cook format that replays every reading", async () => {
    h.store.insertReadings([{ probeId: MEAT, tsMs: start + 90_000 + 1, tempC: null }]);
    const res = await request<string>(`${h.url}/api/cooks/${cook.id}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="?grill-stats-cook-${cook.id}-brisket\\.csv"?$`));
    const rows = parseCookCsv(res.body);
    const raw = [...h.store.readingsBetween(MEAT, start, end), ...h.store.readingsBetween(PIT, start, end)].filter((r) => r.tempC !== null);
    expect(rows).toHaveLength(raw.length);
    const sorted = [...rows].sort((a, b) => a.tS - b.tS || a.probe.localeCompare(b.probe));
    expect(rows).toEqual(sorted);
    expect(rows[0]).toEqual({ tS: 0, probe: MEAT, tempC: 5, role: "meat" });
    for (const r of raw) {
      const tS = Math.round((r.tsMs - start) / 1000);
      expect(rows).toContainEqual({ tS, probe: r.probeId, tempC: Number((r.tempC as number).toFixed(2)), role: r.probeId === PIT ? "pit" : "meat" });
    }
  });

  it("exports CSV that the backtest reads and replays (one line per evaluated meat moment)", async () => {
    const res = await request<string>(`${h.url}/api/cooks/${cook.id}/export?format=csv`);
    const file = parseBacktestCsv(res.body, "export.csv");
    expect([...file.probes]).toEqual([[MEAT, "meat"], [PIT, "pit"]]);
    // 241 brisket readings; the pit reads 5 s later, so its last one falls after the cook's end.
    expect(file.rows).toHaveLength(241 + 240);
    const moments = replayCook(file, 60);
    expect(moments.length).toBeGreaterThan(0);
    expect(new Set(moments.map((m) => m.probe))).toEqual(new Set([MEAT]));
    expect(moments.at(-1)?.temp_c).toBe(77);
  });

  it("exports CSV with the same header and row shape as the real recorded cooks", async ({ skip }) => {
    const file = join(COOKS_DIR, "roast-chicken-heatledger-1.csv");
    if (!existsSync(file)) skip(`recorded cooks not found at ${COOKS_DIR}`);
    const recorded = parseCookCsv(readFileSync(file, "utf8"));
    const res = await request<string>(`${h.url}/api/cooks/${cook.id}/export`);
    const exported = parseCookCsv(res.body);
    expect(Object.keys(exported[0] ?? {})).toEqual(Object.keys(recorded[0] ?? {}));
  });

  it("exports JSON with cook, events and raw readings including gaps", async () => {
    h.store.addCookEvent({ cookId: cook.id, tsMs: start + 60_000, kind: "wood", text: "hickory" });
    const res = await request<{ cook: Cook; events: CookEvent[]; readings: Record<string, Array<[number, number | null]>> }>(`${h.url}/api/cooks/${cook.id}/export?format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(".json");
    expect(res.body.cook.id).toBe(cook.id);
    expect(res.body.events).toHaveLength(1);
    expect(res.body.readings[MEAT]).toHaveLength(241);
    expect(res.body.readings[MEAT]?.[0]).toEqual([start, 5]);
    expect((await request(`${h.url}/api/cooks/${cook.id}/export?format=xml`)).status).toBe(400);
  });
});
