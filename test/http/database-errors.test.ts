/**
 * The API while the database cannot be written: another connection holds the write lock, so the
 * store's writes fail with SQLITE_BUSY after its busy timeout (50 ms here) — a real failure.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cook, ProbeSettings } from "../../src/shared";
import { MEAT, PIT, request, seedCook, startHarness, type Harness } from "./harness";

type ErrorBody = { error: { code: string; message: string } };

describe("HTTP API while the database cannot be written", () => {
  let h: Harness;
  let cook: Cook;
  let unlock: (() => void) | null = null;
  beforeEach(async () => {
    h = await startHarness({ busyTimeoutMs: 50 });
    const readings = seedCook(h.store);
    cook = h.store.createCook({ name: "Brisket", startMs: readings[0]?.tsMs ?? 0, probeIds: [MEAT, PIT] });
    const other = new Database(h.store.stats().path);
    other.exec("BEGIN IMMEDIATE");
    unlock = () => {
      other.exec("ROLLBACK");
      other.close();
    };
  });
  afterEach(async () => {
    unlock?.();
    await h.close();
  });

  it("takes a probe's settings all the same (they apply from memory) and says what failed for the rest", async () => {
    const put = await request<ProbeSettings>(`${h.url}/api/probes/${PIT}/settings`, { method: "PUT", json: { highC: 135 } });
    expect(put.status).toBe(200);
    expect(h.store.getSettings(PIT).highC).toBe(135);
    const get = await request<ProbeSettings>(`${h.url}/api/probes/${PIT}/settings`);
    expect(get.body.highC).toBe(135);

    const rename = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { name: "Renamed" } });
    expect(rename.status).toBe(503);
    expect(rename.body.error).toEqual({
      code: "database",
      message: "The database cannot be written (another program holds a lock on it), so nothing was changed; try again once that is fixed",
    });
    const note = await request<ErrorBody>(`${h.url}/api/cooks/${cook.id}/events`, { method: "POST", json: { tsMs: cook.startMs + 60_000, kind: "note", text: "spritz", probeId: MEAT } });
    expect(note.status).toBe(503);
    expect(h.logger.lines.some((l) => l.includes("request failed unexpectedly"))).toBe(false);

    unlock?.();
    unlock = null;
    // Once the lock is gone (and the back-off over) the kept setting is in the file.
    h.clock.set(h.clock.now() + 31_000);
    expect((await request(`${h.url}/api/cooks/${cook.id}`, { method: "PATCH", json: { name: "Renamed" } })).status).toBe(200);
    expect(h.store.getSettings(PIT).highC).toBe(135);
    expect(h.store.unsavedWrites()).toBe(0);
  });

  it("tells a JSON body that is no object from one that is not JSON", async () => {
    for (const body of ["null", "5", '"x"']) {
      const res = await request<ErrorBody>(`${h.url}/api/probes/${PIT}/settings`, { method: "PUT", body, headers: { "content-type": "application/json" } });
      expect({ body, status: res.status, message: res.body.error.message }).toEqual({ body, status: 400, message: "The request body must be a JSON object" });
    }
  });
});
