import { afterEach, describe, expect, it } from "vitest";
import { createAlarmService, type AlarmService } from "../../src/alarms";
import type { AlarmRule, AlarmState, DeliveryRecord } from "../../src/shared";
import { MEAT, T0, request, seedCook, startHarness, statesFromStore, type Harness } from "./harness";

type ErrorBody = { error: { code: string; message: string } };

describe("alarms API", () => {
  let h: Harness;
  let service: AlarmService | null = null;
  afterEach(async () => {
    await service?.stop();
    service = null;
    await h.close();
  });

  const start = async (): Promise<void> => {
    h = await startHarness({
      alarms: ({ store, bus, clock, logger }) => {
        service = createAlarmService({
          bus,
          repo: store,
          settings: store,
          notifier: null,
          logger,
          clock,
          options: { notifyTargets: [], repeatMinutes: 5, preAlarmMinutes: 15, batteryLowPct: 15, quietHours: null },
          displayUnit: () => "C",
          timeZone: () => "UTC",
          tickMs: 3600_000,
        });
        return service;
      },
    });
    await service?.start();
    seedCook(h.store);
  };

  /** The brisket (77 °C at T0) passes a 70 °C target: two evaluations confirm it. */
  const raiseTargetAlarm = async (): Promise<AlarmState> => {
    const put = await request(`${h.url}/api/probes/${MEAT}/settings`, { method: "PUT", json: { targetC: 70 } });
    expect(put.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      h.clock.set(T0 + i * 20_000);
      h.bus.emit("probes:state", statesFromStore(h.store).map((s) => ({ ...s, tsMs: T0 + i * 20_000 })));
    }
    const list = await request<AlarmState[]>(`${h.url}/api/alarms`);
    const alarm = list.body.find((a) => a.probeId === MEAT && a.kind === "target");
    expect(alarm?.phase).toBe("firing");
    return alarm as AlarmState;
  };

  it("lists a firing alarm and acknowledges it", async () => {
    await start();
    const alarm = await raiseTargetAlarm();
    const ack = await request<AlarmState>(`${h.url}/api/alarms/${encodeURIComponent(alarm.id)}/acknowledge`, { method: "POST" });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: alarm.id, phase: "acknowledged" });
    const unknown = await request<ErrorBody>(`${h.url}/api/alarms/nope/acknowledge`, { method: "POST" });
    expect(unknown.status).toBe(404);
    // A second tap is fine; snoozing what is already acknowledged would silence nothing.
    expect((await request(`${h.url}/api/alarms/${encodeURIComponent(alarm.id)}/acknowledge`, { method: "POST" })).status).toBe(200);
    const snooze = await request<ErrorBody>(`${h.url}/api/alarms/${encodeURIComponent(alarm.id)}/snooze`, { method: "POST" });
    expect({ status: snooze.status, code: snooze.body.error.code }).toEqual({ status: 409, code: "conflict" });
  });

  it("answers 409 to acknowledge or snooze an alarm that is only armed", async () => {
    await start();
    const put = await request(`${h.url}/api/probes/${MEAT}/settings`, { method: "PUT", json: { targetC: 95 } });
    expect(put.status).toBe(200);
    h.bus.emit("probes:state", statesFromStore(h.store).map((s) => ({ ...s, tsMs: T0 })));
    const armed = (await request<AlarmState[]>(`${h.url}/api/alarms`)).body.find((a) => a.probeId === MEAT && a.kind === "target");
    expect(armed?.phase).toBe("armed");
    const id = encodeURIComponent(armed?.id ?? "");
    for (const action of ["acknowledge", "snooze"]) {
      const res = await request<ErrorBody>(`${h.url}/api/alarms/${id}/${action}`, { method: "POST" });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 409, code: "conflict" });
      expect(res.body.error.message).toContain("armed");
    }
    // The body is still checked first: a bad request is a 400 whatever the alarm's state.
    expect((await request(`${h.url}/api/alarms/${id}/snooze`, { method: "POST", json: { minutes: 0 } })).status).toBe(400);
  });

  it("snoozes for 1–240 minutes (10 without a body) and rejects anything else", async () => {
    await start();
    const alarm = await raiseTargetAlarm();
    const url = `${h.url}/api/alarms/${encodeURIComponent(alarm.id)}/snooze`;
    for (const minutes of [0, 241, 2.5, "10"]) {
      const bad = await request<ErrorBody>(url, { method: "POST", json: { minutes } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("body.minutes");
    }
    const ok = await request<AlarmState>(url, { method: "POST", json: { minutes: 25 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ phase: "snoozed", snoozedUntilMs: h.clock.now() + 25 * 60_000 });
    // Without a body, like acknowledge: the 10 minutes of the notification's snooze button.
    const plain = await request<AlarmState>(url, { method: "POST" });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ phase: "snoozed", snoozedUntilMs: h.clock.now() + 10 * 60_000 });
  });

  it("reads and updates one rule, with the alarm service's validation as a 400", async () => {
    await start();
    const rules = await request<AlarmRule[]>(`${h.url}/api/alarms/rules`);
    expect(rules.status).toBe(200);
    const rule = rules.body.find((r) => r.kind === "high" && r.probeId === null);
    expect(rule).toBeDefined();
    // thresholdC of high/low/target is a probe setting, shown in rules but not written through them.
    const { thresholdC: _threshold, ...params } = rule?.params ?? {};
    const off = await request<AlarmRule[]>(`${h.url}/api/alarms/rules`, { method: "PUT", json: { ...rule, params, enabled: false } });
    expect(off.status).toBe(200);
    expect(off.body.find((r) => r.kind === "high" && r.probeId === null)?.enabled).toBe(false);
    expect((await request(`${h.url}/api/alarms/rules`, { method: "PUT", json: { kind: "high" } })).status).toBe(400);
    const wrong = await request<ErrorBody>(`${h.url}/api/alarms/rules`, { method: "PUT", json: { kind: "volcano", enabled: true, params: {} } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("bad_request");
    // Only for probes and devices that exist: made-up ones would be kept and evaluated forever.
    const ghost = await request<ErrorBody>(`${h.url}/api/alarms/rules`, { method: "PUT", json: { ...rule, params, probeId: "junk1_1" } });
    expect({ status: ghost.status, message: ghost.body.error.message }).toEqual({ status: 404, message: 'Unknown probe "junk1_1"' });
    const noDevice = await request<ErrorBody>(`${h.url}/api/alarms/rules`, { method: "PUT", json: { kind: "battery_low", enabled: false, deviceKey: "junk1", params: {} } });
    expect({ status: noDevice.status, message: noDevice.body.error.message }).toEqual({ status: 404, message: 'Unknown device "junk1"' });
    expect((await request<AlarmRule[]>(`${h.url}/api/alarms/rules`)).body.some((r) => r.probeId === "junk1_1" || r.deviceKey === "junk1")).toBe(false);
    const mine = await request<AlarmRule[]>(`${h.url}/api/alarms/rules`, { method: "PUT", json: { ...rule, params, probeId: MEAT, enabled: false } });
    expect(mine.status).toBe(200);
  });

  it("serves the delivery record and transitions", async () => {
    await start();
    await raiseTargetAlarm();
    const deliveries = await request<DeliveryRecord[]>(`${h.url}/api/alarms/deliveries?limit=10`);
    expect(deliveries.status).toBe(200);
    expect(Array.isArray(deliveries.body)).toBe(true);
    const transitions = await request<Array<{ transition: string }>>(`${h.url}/api/alarms/transitions`);
    expect(transitions.body.map((t) => t.transition)).toContain("raised");
    expect((await request(`${h.url}/api/alarms/deliveries?limit=abc`)).status).toBe(400);
  });

  it("answers 503 JSON on every alarm route when the alarm service is not running", async () => {
    h = await startHarness({ alarms: null });
    for (const [method, path] of [
      ["GET", "/api/alarms"],
      ["GET", "/api/alarms/rules"],
      ["PUT", "/api/alarms/rules"],
      ["GET", "/api/alarms/deliveries"],
      ["POST", "/api/alarms/x:target/acknowledge"],
      ["POST", "/api/alarms/x:target/snooze"],
    ] as const) {
      const res = await request<ErrorBody>(`${h.url}${path}`, { method, ...(method === "GET" ? {} : { json: {} }) });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.body.error.code).toBe("unavailable");
    }
  });
});
