import { describe, expect, it } from "vitest";
import { CUTS } from "../../src/thermoworks/simulator";
import { stepMeat } from "../../src/thermoworks/simulator/physics";
import { PULL_AFTER_DONE_SEC } from "../../src/thermoworks/simulator/world";
import { defaultWorld, type SimulatorHandle } from "../../src/thermoworks";
import { docsUrl, manualClock, RFX_GATEWAY, RFX_MEAT, signIn, SIGNALS, startSim } from "./helpers";

type Fields = Record<string, Record<string, unknown>>;

const HOUR = 3600;

const channelFields = async (sim: SimulatorHandle, token: string, serial: string, n: string): Promise<Fields> => {
  const res = await fetch(`${docsUrl(sim)}/devices/${serial}/channels/${n}?key=${sim.config.apiKey}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { fields: Fields }).fields;
};
const deviceFields = async (sim: SimulatorHandle, token: string, serial: string): Promise<Fields> => {
  const res = await fetch(`${docsUrl(sim)}/devices/${serial}?key=${sim.config.apiKey}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { fields: Fields }).fields;
};

/** Seconds the brisket needs to climb from `fromC` to `toC`, sampled every minute of simulated time. */
const climbSec = (samples: { t: number; c: number }[], fromC: number, toC: number): number => {
  const start = samples.find((s) => s.c >= fromC);
  const end = samples.find((s) => s.c >= toC);
  if (!start || !end) throw new Error(`never climbed ${fromC}→${toC}`);
  return end.t - start.t;
};

describe("simulator physics", () => {
  it("a brisket rises toward the pit, stalls in 65–75 °C, and is done in about 12 h", async () => {
    const sim = await startSim();
    const samples: { t: number; c: number }[] = [];
    const pit: number[] = [];
    while (sim.simSeconds() < defaultWorld().cookCycleSec - 30 * 60) {
      sim.advance(60);
      samples.push({ t: sim.simSeconds(), c: sim.trueTempC(SIGNALS, "2") ?? NaN });
      pit.push(sim.trueTempC(SIGNALS, "1") ?? NaN);
    }
    // Toward the pit, never past it, and (within noise of lid openings) never backwards while it cooks.
    const cooking = samples.filter((s) => s.t < (samples.find((x) => x.c >= 95)?.t ?? Infinity) + PULL_AFTER_DONE_SEC - 60);
    for (let i = 1; i < cooking.length; i++) expect(cooking[i]!.c).toBeGreaterThan(cooking[i - 1]!.c - 0.5);
    expect(Math.max(...samples.map((s) => s.c))).toBeLessThan(Math.max(...pit));
    // The stall: 10 °C through 65–75 takes far longer than 10 °C through 45–55.
    const before = climbSec(samples, 45, 55);
    const stall = climbSec(samples, 65, 75);
    expect(stall).toBeGreaterThan(2.5 * before);
    expect(stall).toBeGreaterThan(1.5 * HOUR);
    const doneAt = samples.find((s) => s.c >= 95)?.t ?? Infinity;
    expect(doneAt).toBeGreaterThan(10 * HOUR);
    expect(doneAt).toBeLessThan(14 * HOUR);
    // At its target (203 °F) it comes off: 20 min later the probe reads the kitchen within minutes.
    const after = (sec: number) => samples.find((s) => s.t >= doneAt + sec)?.c ?? NaN;
    expect(after(PULL_AFTER_DONE_SEC - 60)).toBeGreaterThan(95);
    expect(after(PULL_AFTER_DONE_SEC + 10 * 60)).toBeLessThan(30);
    expect(samples.at(-1)?.c).toBeCloseTo(21, 0);
  });

  it("a brisket wrapped in its stall climbs again at once; the unwrapped one crawls", async () => {
    // Two identical worlds (same seed), both run into the stall (its plateau is at 67–68.5 °C);
    // one brisket gets wrapped there.
    const [open, wrapped] = [await startSim(), await startSim()];
    while ((open.trueTempC(SIGNALS, "2") ?? 0) < 67.5) {
      open.advance(60);
      wrapped.advance(60);
    }
    expect(wrapped.trueTempC(SIGNALS, "2")).toBe(open.trueTempC(SIGNALS, "2"));
    const startC = open.trueTempC(SIGNALS, "2") as number;
    wrapped.wrap(SIGNALS, "2");
    open.advance(1800);
    wrapped.advance(1800);
    const rise = (sim: SimulatorHandle) => (sim.trueTempC(SIGNALS, "2") as number) - startC;
    expect(rise(open)).toBeLessThan(1);
    expect(rise(wrapped)).toBeGreaterThan(2.5);
    // The other meat in the same smoker is not wrapped by it; a pit channel cannot be.
    expect(wrapped.trueTempC(SIGNALS, "3")).toBe(open.trueTempC(SIGNALS, "3"));
    expect(() => wrapped.wrap(SIGNALS, "1")).toThrow(/no meat channel 1/);
  });

  it("a chicken at a 180 °C pit reaches 74 °C in about 1.5 h", () => {
    let s = { tempC: 5, moisture: 1 };
    let t = 0;
    while (s.tempC < 74) {
      s = stepMeat(CUTS.chicken, s, 180, 1);
      t++;
    }
    expect(t / HOUR).toBeGreaterThan(1.2);
    expect(t / HOUR).toBeLessThan(1.8);
  });

  it("a lid opening drops the pit 20–40 °C, then it recovers within minutes", async () => {
    const world = defaultWorld();
    const smoker = world.cookers.smoker;
    if (!smoker) throw new Error("no smoker");
    smoker.lidEverySec = 0; // only our opening
    const sim = await startSim({ world });
    const before = sim.trueTempC(SIGNALS, "1") ?? NaN;
    sim.openLid(SIGNALS);
    let lowest = before;
    for (let i = 0; i < 90; i++) {
      sim.advance(1);
      lowest = Math.min(lowest, sim.trueTempC(SIGNALS, "1") ?? NaN);
    }
    expect(before - lowest).toBeGreaterThan(15);
    expect(before - lowest).toBeLessThan(45);
    sim.advance(20 * 60);
    expect(Math.abs((sim.trueTempC(SIGNALS, "1") ?? NaN) - before)).toBeLessThan(8);
  });

  it("the default smoker's lid gets opened every now and then", async () => {
    const sim = await startSim();
    const setpoint = defaultWorld().cookers.smoker?.setpointC ?? 0;
    const pit: number[] = [];
    for (let i = 0; i < 6 * 60; i++) {
      sim.advance(60);
      pit.push(sim.trueTempC(SIGNALS, "1") ?? NaN);
    }
    const dips = pit.filter((c, i) => c < setpoint - 15 && (pit[i - 1] ?? setpoint) >= setpoint - 15);
    expect(dips.length).toBeGreaterThanOrEqual(2);
  });

  it("a closed pit wobbles a few °C around its setpoint", async () => {
    const world = defaultWorld();
    if (world.cookers.smoker) world.cookers.smoker.lidEverySec = 0;
    const sim = await startSim({ world });
    const setpoint = world.cookers.smoker?.setpointC ?? 0;
    const pit: number[] = [];
    for (let i = 0; i < 6 * 60; i++) {
      sim.advance(60);
      pit.push(sim.trueTempC(SIGNALS, "1") ?? NaN);
    }
    expect(Math.max(...pit) - Math.min(...pit)).toBeGreaterThan(1.5);
    expect(Math.max(...pit.map((c) => Math.abs(c - setpoint)))).toBeLessThan(8);
  });
});

describe("simulator wire data", () => {
  it("an unplugged probe reads nullValue with status NO PROBE, then comes back", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    const unplug = defaultWorld().accounts[0]?.devices[0]?.channels[2]?.unplugged;
    if (!unplug) throw new Error("the default world has no unplugged window");
    sim.advance(unplug.fromSec + 60 - sim.simSeconds());
    const off = await channelFields(sim, idToken, SIGNALS, "3");
    expect(off.value).toEqual({ nullValue: null });
    expect(off.status).toEqual({ stringValue: "NO PROBE" });
    sim.advance(unplug.toSec - unplug.fromSec);
    const on = await channelFields(sim, idToken, SIGNALS, "3");
    expect(on.value?.doubleValue ?? on.value?.integerValue).toBeDefined();
  });

  it("lets the fires go out once all the meat is off, and starts the next cook after a cycle: lit again, fresh meat", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    const cycle = defaultWorld().cookCycleSec;
    // All the meat came off by 13 h (the brisket last): the smoker and the kettle are let go out and cool.
    sim.advance(cycle - 30 * 60 - sim.simSeconds());
    expect(sim.trueTempC(SIGNALS, "1")).toBeLessThan(35);
    expect(sim.trueTempC(RFX_GATEWAY, "1")).toBeLessThan(35);
    sim.advance(30 * 60 + 60);
    expect((await channelFields(sim, idToken, SIGNALS, "2")).value).toEqual({ nullValue: null });
    expect((await channelFields(sim, idToken, SIGNALS, "1")).value).not.toEqual({ nullValue: null }); // the pit probe stays in
    sim.advance(15 * 60);
    expect(sim.trueTempC(SIGNALS, "1")).toBeGreaterThan(100); // lit again
    expect(sim.trueTempC(SIGNALS, "2")).toBeLessThan(30);
    const fresh = (await channelFields(sim, idToken, SIGNALS, "2")).value;
    expect(fresh?.doubleValue ?? fresh?.integerValue).toBeDefined();
  });

  it("sends float32-ish doubles in the channel's units and integerValue strings at whole numbers", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    sim.setChannel(SIGNALS, "2", 100); // 212 °F
    const whole = await channelFields(sim, idToken, SIGNALS, "2");
    expect(whole.value).toEqual({ integerValue: "212" });
    expect(whole.units).toEqual({ stringValue: "F" });
    expect(whole.alarmHigh?.mapValue).toBeDefined();
    expect(whole.maximum?.mapValue).toBeDefined();
    sim.setChannel(SIGNALS, "2", 71.5); // 160.7 °F
    const frac = await channelFields(sim, idToken, SIGNALS, "2");
    expect(frac.value).toEqual({ doubleValue: Math.fround(160.7) });
    expect(Math.fround(160.7)).not.toBe(160.7);
  });

  it("is deterministic for a seed and different for another", async () => {
    // A frozen clock: with speed 0 only advance() moves the world, so nothing depends on real time.
    const sims = await Promise.all([7, 7, 8].map((seed) => startSim({ seed, clock: manualClock() })));
    const texts = await Promise.all(
      sims.map(async (sim) => {
        sim.advance(3 * HOUR);
        const { idToken } = await signIn(sim);
        return JSON.stringify(await Promise.all(["1", "2", "3", "4"].map((n) => channelFields(sim, idToken, SIGNALS, n))));
      }),
    );
    expect(texts[0]).toBe(texts[1]);
    expect(texts[2]).not.toBe(texts[0]);
  });

  it("uploads Signals every 5 s of simulated time, drains batteries and jitters RSSI", async () => {
    const sim = await startSim({ clock: manualClock() });
    const { idToken } = await signIn(sim);
    const seen = async (): Promise<number> => Date.parse(String((await deviceFields(sim, idToken, SIGNALS)).lastSeen?.timestampValue));
    const stamps = new Set<number>();
    for (let i = 0; i < 30; i++) {
      sim.advance(1);
      stamps.add(await seen());
    }
    const sorted = [...stamps].sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThanOrEqual(6);
    expect(sorted.slice(1).map((t, i) => t - (sorted[i] ?? 0))).toEqual(Array(sorted.length - 1).fill(5_000));

    const battery: number[] = [];
    const rssi = new Set<string>();
    const rfxSeen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      sim.advance(30 * 60);
      const f = await deviceFields(sim, idToken, SIGNALS);
      battery.push(Number(f.battery?.integerValue));
      rssi.add(String(f.wifi_stength?.integerValue));
      rfxSeen.add(String((await deviceFields(sim, idToken, RFX_MEAT)).lastSeen?.timestampValue));
    }
    expect(battery[battery.length - 1]).toBeLessThan(battery[0] ?? 0);
    expect(rssi.size).toBeGreaterThan(2);
    expect(rfxSeen.size).toBeGreaterThan(1);
  });
});
