import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { waitUntil } from "../support/ha-wait";

/** A bare client (no library) so the stand-in's frames are checked as they are on the wire. */
const rawClient = async (url: string, token: string): Promise<{ frames: unknown[]; send: (m: Record<string, unknown>) => void; ws: WebSocket; authReply: Record<string, unknown> }> => {
  const ws = new WebSocket(url);
  const frames: unknown[] = [];
  const first: Record<string, unknown>[] = [];
  ws.on("message", (d) => {
    const m: unknown = JSON.parse(d.toString());
    if (first.length < 2) first.push(m as Record<string, unknown>);
    else frames.push(m);
  });
  await new Promise((r) => ws.once("open", r));
  await waitUntil(() => first.length >= 1, "auth_required");
  ws.send(JSON.stringify({ type: "auth", access_token: token }));
  await waitUntil(() => first.length >= 2, "auth reply");
  expect(first[0]).toMatchObject({ type: "auth_required", ha_version: "2023.5.4" });
  return { frames, ws, send: (m) => ws.send(JSON.stringify(m)), authReply: first[1] as Record<string, unknown> };
};

/** Flattens coalesced array frames into single messages. */
const flat = (frames: unknown[]): Record<string, unknown>[] => frames.flatMap((f) => (Array.isArray(f) ? f : [f])) as Record<string, unknown>[];
const byId = (frames: unknown[], id: number): Record<string, unknown>[] => flat(frames).filter((m) => m.id === id);

describe("Home Assistant stand-in", () => {
  let ha: HaStandIn;
  beforeEach(async () => {
    ha = await startHaStandIn();
  });
  afterEach(async () => {
    await ha.stop();
  });

  it("answers auth_invalid for a wrong token and auth_ok for the right one, also under /core", async () => {
    const bad = await rawClient(`${ha.url.replace("http", "ws")}/api/websocket`, "nope");
    expect(bad.authReply.type).toBe("auth_invalid");
    const good = await rawClient(`${ha.coreUrl.replace("http", "ws")}/websocket`, ha.token);
    expect(good.authReply).toEqual({ type: "auth_ok", ha_version: "2023.5.4" });
    good.ws.close();
  });

  it("speaks the recorded command set: pong, unknown_command, helpers with _2 ids, entity diffs, coalesced frames", async () => {
    const c = await rawClient(`${ha.url.replace("http", "ws")}/api/websocket`, ha.token);
    c.send({ id: 1, type: "supported_features", features: { coalesce_messages: 1 } });
    c.send({ id: 3, type: "ping" });
    c.send({ id: 4, type: "no_such_command" });
    c.send({ id: 5, type: "subscribe_entities", entity_ids: ["input_number.probe_1_target"] });
    await waitUntil(() => byId(c.frames, 5).length >= 2, "subscribe_entities result + first event");
    expect(byId(c.frames, 3)).toEqual([{ id: 3, type: "pong" }]);
    expect(byId(c.frames, 4)[0]).toMatchObject({ success: false, error: { code: "unknown_command" } });
    expect(byId(c.frames, 5)[1]).toMatchObject({ type: "event", event: { a: {} } });

    c.send({ id: 6, type: "input_number/create", name: "Probe 1 target", min: 0, max: 150, step: 0.5, mode: "box", unit_of_measurement: "°C" });
    c.send({ id: 7, type: "input_number/create", name: "Probe 1 target", min: 0, max: 150 });
    c.send({ id: 8, type: "input_number/create", name: "bad", min: 10, max: 5 });
    await waitUntil(() => byId(c.frames, 8).length === 1, "third create answered");
    expect(byId(c.frames, 6)[0]).toMatchObject({ success: true, result: { id: "probe_1_target", step: 0.5, mode: "box" } });
    expect(byId(c.frames, 7)[0]).toMatchObject({ success: true, result: { id: "probe_1_target_2", step: 1, mode: "slider" } });
    expect(byId(c.frames, 8)[0]).toMatchObject({ success: false, error: { code: "invalid_format" } });
    const added = byId(c.frames, 5).find((m) => JSON.stringify(m).includes('"a":{"input_number.probe_1_target"'));
    expect(added).toMatchObject({ event: { a: { "input_number.probe_1_target": { s: "0.0", a: { min: 0, max: 150, unit_of_measurement: "°C" } } } } });

    c.send({ id: 9, type: "call_service", domain: "input_number", service: "set_value", service_data: { entity_id: "input_number.probe_1_target", value: 95 } });
    await waitUntil(() => byId(c.frames, 9).length === 1, "set_value answered");
    const diff = byId(c.frames, 5).find((m) => JSON.stringify(m).includes('"+"'));
    expect(diff).toMatchObject({ event: { c: { "input_number.probe_1_target": { "+": { s: "95.0" } } } } });
    expect(c.frames.some(Array.isArray)).toBe(true);

    c.send({ id: 10, type: "call_service", domain: "notify", service: "no_such_target", service_data: { message: "x" } });
    c.send({ id: 11, type: "call_service", domain: "notify", service: "mobile_app_phone", service_data: { message: "x" } });
    await waitUntil(() => byId(c.frames, 11).length === 1, "notify answered");
    expect(byId(c.frames, 10)[0]).toMatchObject({ success: false, error: { code: "not_found" } });
    expect(ha.serviceCalls.filter((s) => s.ok).map((s) => `${s.domain}.${s.service}`)).toEqual(["input_number.set_value", "notify.mobile_app_phone"]);
    c.ws.close();
  });

  it("REST states: 201 then 200, 400 for a bad id, 401 without the token; restart clears states but keeps helpers", async () => {
    const post = (id: string, body: unknown, token = ha.token): Promise<Response> =>
      fetch(`${ha.url}/api/states/${id}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("sensor.x_temperature", { state: "71.4", attributes: { unit_of_measurement: "°C" } })).status).toBe(201);
    const second = await fetch(`${ha.coreUrl}/api/states/sensor.x_temperature`, { method: "POST", headers: { Authorization: `Bearer ${ha.token}` }, body: JSON.stringify({ state: "71.9" }) });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ entity_id: "sensor.x_temperature", state: "71.9", attributes: {} });
    expect((await post("not_an_entity_id", { state: "1" })).status).toBe(400);
    expect((await post("sensor.y", { state: "1" }, "wrong")).status).toBe(401);

    const c = await rawClient(`${ha.url.replace("http", "ws")}/api/websocket`, ha.token);
    c.send({ id: 2, type: "input_button/create", name: "Probe 1 acknowledge" });
    await waitUntil(() => byId(c.frames, 2).length === 1, "button created");
    await ha.restart();
    await waitUntil(() => c.ws.readyState === WebSocket.CLOSED, "socket dropped by restart");
    expect([...ha.states.keys()]).toEqual(["input_button.probe_1_acknowledge"]);
    expect(ha.posted.map((p) => p.status)).toEqual([201, 200, 400]);
  });
});
