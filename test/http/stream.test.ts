import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlarmState, Cook, ProbeState } from "../../src/shared";
import { MEAT, PIT, T0, seedCook, startHarness, statesFromStore, type Harness } from "./harness";
import { openSse, type SseClient } from "./sse";

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe("GET /api/stream (Server-Sent Events)", () => {
  let h: Harness;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    h = await startHarness();
    seedCook(h.store);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h.close();
  });
  const open = async (): Promise<SseClient> => {
    const c = await openSse(`${h.url}/api/stream`);
    clients.push(c);
    return c;
  };

  it("starts with a snapshot of probes, alarms and the running cook, with SSE headers", async () => {
    const cook = h.store.createCook({ name: "Brisket", startMs: T0 - 3600_000, probeIds: [MEAT, PIT] });
    const sse = await open();
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    expect(sse.headers.get("cache-control")).toBe("no-cache");
    expect(sse.headers.get("x-accel-buffering")).toBe("no");
    const snap = (await sse.next("snapshot")).data as { probes: ProbeState[]; alarms: AlarmState[]; cook: Cook | null };
    expect(snap.probes.map((p) => p.id).sort()).toEqual([MEAT, PIT].sort());
    expect(snap.alarms).toEqual([]);
    expect(snap.cook).toEqual(cook);
  });

  it("sends each stored reading, probe states, alarm and cook changes after the snapshot", async () => {
    const sse = await open();
    await sse.next("snapshot");
    h.bus.emit("readings:stored", [
      { probeId: MEAT, tsMs: T0 + 30_000, tempC: 78.5 },
      { probeId: PIT, tsMs: T0 + 30_000, tempC: null },
    ]);
    expect((await sse.next("reading")).data).toEqual({ probeId: MEAT, tsMs: T0 + 30_000, tempC: 78.5 });
    expect((await sse.next("reading")).data).toEqual({ probeId: PIT, tsMs: T0 + 30_000, tempC: null });

    const states = statesFromStore(h.store);
    h.bus.emit("probes:state", states);
    expect((await sse.next("probes")).data).toEqual(states);

    const alarm: AlarmState = { id: `${MEAT}:target`, kind: "target", probeId: MEAT, deviceKey: null, phase: "firing", message: "Brisket reached 95 °C", valueC: 95, thresholdC: 95, sinceMs: T0, snoozedUntilMs: null, repeatCount: 0, critical: true };
    h.bus.emit("alarm:changed", { alarm, transition: "raised" });
    expect((await sse.next("alarm")).data).toEqual({ alarm, transition: "raised" });

    const cook = h.store.createCook({ name: "Ribs", startMs: T0, probeIds: [MEAT] });
    h.bus.emit("cook:changed", { cook, change: "started" });
    const event = h.store.addCookEvent({ cookId: cook.id, tsMs: T0 + 1, kind: "wrap", text: "foil" });
    h.bus.emit("cook:event", event);
    expect((await sse.next("cook")).data).toEqual({ type: "changed", cook, change: "started" });
    expect((await sse.next("cook")).data).toEqual({ type: "event", event });
  });

  it("delivers the same reading to many clients at once", async () => {
    const many = await Promise.all(Array.from({ length: 50 }, () => open()));
    await Promise.all(many.map((c) => c.next("snapshot")));
    h.bus.emit("readings:stored", [{ probeId: MEAT, tsMs: T0 + 60_000, tempC: 80 }]);
    const got = await Promise.all(many.map((c) => c.next("reading")));
    expect(got.every((m) => (m.data as { tempC: number }).tempC === 80)).toBe(true);
  });

  it("stops listening to the bus when the last client disconnects", async () => {
    const before = h.bus.listenerCount("readings:stored");
    const statesBefore = h.bus.listenerCount("probes:state");
    const a = await open();
    const b = await open();
    await Promise.all([a.next("snapshot"), b.next("snapshot")]);
    expect(h.bus.listenerCount("readings:stored")).toBe(before + 1);
    a.close();
    await new Promise((r) => setTimeout(r, 20));
    h.bus.emit("readings:stored", [{ probeId: MEAT, tsMs: T0 + 90_000, tempC: 81 }]);
    expect((await b.next("reading")).data).toMatchObject({ tempC: 81 });
    b.close();
    await waitFor(() => h.bus.listenerCount("readings:stored") === before, "the stream to unsubscribe");
    expect(h.bus.listenerCount("probes:state")).toBe(statesBefore);
  });

  it("closeStreams ends every client and leaves no listener on the bus (so the server can shut down)", async () => {
    const a = await open();
    await a.next("snapshot");
    h.closeStreams();
    await a.ended;
    for (const event of ["readings:stored", "probes:state", "settings:changed"] as const) expect(h.bus.listenerCount(event)).toBe(0);
  });
});

/** A stream hub alone on an express server on loopback. */
const startHub = async (opts: { heartbeatMs?: number; maxClients?: number }) => {
  const { createServer } = await import("node:http");
  const express = (await import("express")).default;
  const { createStreamHub } = await import("../../src/http/stream");
  const { EventBus, createMemoryLogger } = await import("../../src/shared");
  const hub = createStreamHub({ bus: new EventBus(), logger: createMemoryLogger(), snapshot: () => ({ probes: [] }), ...opts });
  const app = express();
  app.get("/stream", hub.handler);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    hub,
    url: `http://127.0.0.1:${port}/stream`,
    close: async () => {
      hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};

describe("stream hub heartbeat", () => {
  it("sends a comment line periodically so proxies keep the connection open", async () => {
    const { hub, url, close } = await startHub({ heartbeatMs: 20 });
    const sse = await openSse(url);
    await sse.next("snapshot");
    await waitFor(() => sse.comments.includes("heartbeat"), "a heartbeat");
    sse.close();
    await close();
    expect(hub.clientCount()).toBe(0);
  });
});

describe("stream hub limits", () => {
  it("beyond its connection limit tells a client when to come back (a stream, not an error an EventSource gives up on), and takes it once one leaves", async () => {
    const { hub, url, close } = await startHub({ maxClients: 2 });
    const [a, b] = [await openSse(url), await openSse(url)];
    await a.next("snapshot");
    await b.next("snapshot");
    const third = await fetch(url);
    expect(third.status).toBe(200);
    expect(third.headers.get("content-type")).toContain("text/event-stream");
    expect(await third.text()).toBe('retry: 10000\nevent: busy\ndata: {"clients":2}\n\n');
    expect(hub.clientCount()).toBe(2);
    a.close();
    await waitFor(() => hub.clientCount() === 1, "the first client gone");
    const c = await openSse(url);
    await c.next("snapshot");
    expect(hub.clientCount()).toBe(2);
    b.close();
    c.close();
    await close();
  });
});
