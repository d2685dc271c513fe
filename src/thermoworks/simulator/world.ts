/**
 * The simulated world at run time: cookers, devices, channels, and what the cloud currently
 * holds for them ("published" state, updated on each device's own cadence).
 * Stepped in whole simulated seconds; every step carries the wall-clock stamp it maps to.
 */
import { cToF, fToC } from "../../shared";
import { initialPit, openLid, stepMeat, stepPit, type MeatState, type PitParams, type PitState } from "./physics";
import { createRng, type Rng } from "./rng";
import type { AccountSpec, ChannelSpec, DeviceSpec, WireUnits, WorldSpec } from "./scenario";

export interface PublishedChannel {
  /** In the channel's wire units, float32-ish, or null when there is no reading. */
  value: number | null;
  lastSeenMs: number | null;
  status: string;
  min: { value: number; atMs: number } | null;
  max: { value: number; atMs: number } | null;
  alarmingHigh: boolean;
  alarmingLow: boolean;
}

export interface ChannelRuntime {
  number: string;
  spec: ChannelSpec;
  meat: MeatState | null;
  humidityPct: number;
  forcedUnplugged: boolean;
  /** Unplugged until this simulated second while the meat is swapped between cooks. */
  swapUntilSec: number;
  /** Simulated second the meat reached the channel's target (`alarmHigh`), and when it came off. */
  doneAtSec: number | null;
  pulledAtSec: number | null;
  published: PublishedChannel;
}

export interface DeviceRuntime {
  spec: DeviceSpec;
  accountId: string;
  channels: ChannelRuntime[];
  batteryPct: number;
  rssiOffsetDb: number;
  lastPublishSec: number;
  /** Values at the last publish, for the RFX delta trigger. */
  lastPublishedValues: (number | null)[];
  /** When the device last gave a sign of life (an upload, or an RFX probe's heartbeat). */
  lastHeardSec: number;
  createMs: number;
  /** `heardMs`: when the gateway last heard an RFX probe (`gatewayLastSeen`), uploads or not. */
  published: { lastSeenMs: number | null; heardMs: number | null; battery: number; rssiDbm: number };
}

interface CookerRuntime {
  params: PitParams;
  state: PitState;
  /** Whether food cooks on it (a fridge's air does not go out). */
  cooksMeat: boolean;
  /** Since when its fire is out (the food is done and off), or null while it is lit. */
  outSinceSec: number | null;
}

const MIN_PUBLISH_GAP_MS = 1;
/**
 * Meat that reached the target set for it in the app comes off this long after (the alarm went
 * off, the cook took it out): its probe then reads the kitchen, cooling with this time constant.
 */
export const PULL_AFTER_DONE_SEC = 20 * 60;
const ROOM_C = 21;
const PULLED_TAU_SEC = 120;
/**
 * When the last meat is off, the fires are let go out this long after, and a cooker without fire
 * cools to the room with this time constant (a smoker from 116 °C to below 50 °C in about 45 min),
 * so the cook ends as a real one does; the next cook lights them again.
 */
const FIRE_OUT_AFTER_SEC = 30 * 60;
const COOL_TAU_SEC = 40 * 60;

/** A °C value in wire units, rounded to 0.1 and widened from float32 like the real devices send it. */
export const toWireValue = (value: number, units: WireUnits): number => {
  const inUnits = units === "F" ? cToF(value) : value;
  return Math.fround(Math.round(inUnits * 10) / 10);
};

export class World {
  readonly devices: DeviceRuntime[] = [];
  private readonly cookers = new Map<string, CookerRuntime>();
  private readonly rng: Rng;
  /** Simulated seconds since the cook started. */
  simSec = 0;
  /** Wall-clock stamp (epoch ms) of the current simulated second. */
  stampMs: number;

  constructor(
    readonly spec: WorldSpec,
    seed: number,
    startStampMs: number,
  ) {
    this.rng = createRng(seed);
    // The preroll happened before the simulator started: stamps run up to startStampMs.
    this.stampMs = startStampMs - spec.prerollSec * 1000;
    for (const [id, c] of Object.entries(spec.cookers)) {
      this.cookers.set(id, { params: c, state: { ...initialPit(c, this.rng, 0), tempC: c.startC }, cooksMeat: false, outSinceSec: null });
    }
    for (const account of spec.accounts) for (const d of account.devices) this.devices.push(this.createDevice(account, d));
    for (const d of this.devices) if (d.channels.some((ch) => ch.spec.sense.kind === "meat")) this.cookerOf(d).cooksMeat = true;
    this.advanceTo(spec.prerollSec, startStampMs);
  }

  private createDevice(account: AccountSpec, spec: DeviceSpec): DeviceRuntime {
    if (!this.cookers.has(spec.cooker)) throw new Error(`device ${spec.serial}: unknown cooker ${spec.cooker}`);
    const channels = spec.channels.map((c, i): ChannelRuntime => ({
      number: String(i + 1),
      spec: c,
      meat: c.sense.kind === "meat" ? { tempC: c.sense.startC, moisture: 1 } : null,
      humidityPct: c.sense.kind === "humidity" ? c.sense.pct : 0,
      forcedUnplugged: false,
      swapUntilSec: 0,
      doneAtSec: null,
      pulledAtSec: null,
      published: { value: null, lastSeenMs: null, status: "NORMAL", min: null, max: null, alarmingHigh: false, alarmingLow: false },
    }));
    return {
      spec,
      accountId: account.accountId,
      channels,
      batteryPct: spec.batteryPct,
      rssiOffsetDb: 0,
      lastPublishSec: Number.NEGATIVE_INFINITY,
      lastPublishedValues: channels.map(() => null),
      lastHeardSec: Number.NEGATIVE_INFINITY,
      createMs: this.stampMs - 30 * 24 * 3600 * 1000,
      published: { lastSeenMs: null, heardMs: null, battery: Math.round(spec.batteryPct), rssiDbm: spec.rssiDbm },
    };
  }

  device(serial: string): DeviceRuntime | undefined {
    return this.devices.find((d) => d.spec.serial === serial);
  }

  /** Step the world to `targetSec`; stamps are interpolated from the current stamp to `targetStampMs`. */
  advanceTo(targetSec: number, targetStampMs: number): void {
    const steps = Math.floor(targetSec - this.simSec);
    if (steps <= 0) return;
    const fromStamp = this.stampMs;
    const msPerStep = (targetStampMs - fromStamp) / (targetSec - this.simSec);
    for (let i = 1; i <= steps; i++) {
      this.simSec += 1;
      this.stampMs = Math.round(fromStamp + msPerStep * i);
      this.step(1);
    }
  }

  private step(dtSec: number): void {
    const cycle = this.spec.cookCycleSec;
    if (cycle > 0 && this.simSec % cycle === 0) this.startNextCook();
    this.letFiresGoOut();
    for (const cooker of this.cookers.values()) {
      const s = cooker.state;
      cooker.state = cooker.outSinceSec === null ? stepPit(cooker.params, s, this.rng, this.simSec, dtSec) : { ...s, tempC: ROOM_C + (s.tempC - ROOM_C) * Math.exp(-dtSec / COOL_TAU_SEC), lidOpenSec: 0 };
    }
    for (const d of this.devices) {
      const pitC = this.cookerOf(d).state.tempC;
      this.pullDoneMeat(d);
      for (const ch of d.channels) {
        if (ch.meat && ch.pulledAtSec !== null) ch.meat = { ...ch.meat, tempC: ROOM_C + (ch.meat.tempC - ROOM_C) * Math.exp(-dtSec / PULLED_TAU_SEC) };
        else if (ch.meat && ch.spec.sense.kind === "meat") ch.meat = stepMeat(ch.spec.sense.params, ch.meat, pitC, dtSec);
        if (ch.spec.sense.kind === "humidity") ch.humidityPct = Math.min(99, Math.max(5, ch.humidityPct + 0.05 * this.rng.normal()));
      }
      d.batteryPct = Math.max(1, d.batteryPct - (d.spec.batteryDrainPerHour / 3600) * dtSec);
      d.rssiOffsetDb += -(d.rssiOffsetDb / 300) * dtSec + 0.25 * Math.sqrt(dtSec) * this.rng.normal();
      if (this.isDue(d)) this.publish(d);
      else if (d.spec.cadence.kind === "delta" && this.simSec - d.lastHeardSec >= d.spec.cadence.heartbeatSec) this.hear(d);
    }
  }

  private cookerOf(d: DeviceRuntime): CookerRuntime {
    const c = this.cookers.get(d.spec.cooker);
    if (!c) throw new Error(`unknown cooker ${d.spec.cooker}`);
    return c;
  }

  /**
   * Meat at its target comes off `PULL_AFTER_DONE_SEC` later, so the demo's alarms end as a real
   * cook's do. An RFX Meat probe comes out whole when its core (the sensor with the target) is done.
   */
  private pullDoneMeat(d: DeviceRuntime): void {
    for (const ch of d.channels) {
      const target = ch.spec.alarmHigh;
      if (!ch.meat || target === undefined || ch.pulledAtSec !== null) continue;
      if (ch.doneAtSec === null && ch.meat.tempC >= (ch.spec.units === "F" ? fToC(target) : target)) ch.doneAtSec = this.simSec;
      if (ch.doneAtSec === null || this.simSec < ch.doneAtSec + PULL_AFTER_DONE_SEC) continue;
      for (const c of d.spec.device === "rfx meat" ? d.channels : [ch]) if (c.meat) c.pulledAtSec = this.simSec;
    }
  }

  /** Every piece of meat off for FIRE_OUT_AFTER_SEC: the cookers that cooked it are let go out. */
  private letFiresGoOut(): void {
    let lastPullSec = Number.NEGATIVE_INFINITY;
    for (const d of this.devices) {
      for (const ch of d.channels) {
        if (ch.spec.sense.kind !== "meat") continue;
        if (ch.pulledAtSec === null) return;
        lastPullSec = Math.max(lastPullSec, ch.pulledAtSec);
      }
    }
    if (this.simSec - lastPullSec < FIRE_OUT_AFTER_SEC) return;
    for (const cooker of this.cookers.values()) if (cooker.cooksMeat) cooker.outSinceSec ??= this.simSec;
  }

  /** Light the fires, pull the finished meat and put fresh meat in: probes read nothing for 10 minutes; batteries were charged. */
  private startNextCook(): void {
    for (const cooker of this.cookers.values()) {
      if (cooker.outSinceSec === null) continue;
      cooker.outSinceSec = null;
      const every = cooker.params.lidEverySec;
      cooker.state = { ...cooker.state, nextLidAtSec: every > 0 ? this.simSec + every : Number.POSITIVE_INFINITY };
    }
    for (const d of this.devices) {
      d.batteryPct = d.spec.batteryPct;
      for (const ch of d.channels) {
        if (ch.spec.sense.kind !== "meat") continue;
        ch.meat = { tempC: ch.spec.sense.startC, moisture: 1 };
        ch.swapUntilSec = this.simSec + 600;
        ch.doneAtSec = null;
        ch.pulledAtSec = null;
      }
    }
  }

  private isUnplugged(ch: ChannelRuntime): boolean {
    const u = ch.spec.unplugged;
    const cycle = this.spec.cookCycleSec;
    const t = cycle > 0 ? this.simSec % cycle : this.simSec;
    return ch.forcedUnplugged || this.simSec < ch.swapUntilSec || (u !== undefined && t >= u.fromSec && t < u.toSec);
  }

  /** What the probe reads right now, in wire units (null = unplugged). */
  private reading(d: DeviceRuntime, ch: ChannelRuntime, exact = false): number | null {
    if (this.isUnplugged(ch)) return null;
    const noise = exact ? 0 : 0.04 * this.rng.normal();
    if (ch.spec.sense.kind === "humidity") return Math.fround(Math.round(ch.humidityPct * 10) / 10);
    const tempC = ch.meat ? ch.meat.tempC : this.cookerOf(d).state.tempC;
    return toWireValue(tempC + noise, ch.spec.units);
  }

  /**
   * Uploads: on a clock, or for an RFX probe when a sensor moved by the trigger (or was plugged
   * or unplugged). An RFX probe whose readings hold uploads nothing (cloud doc §7); its gateway
   * still hears it (`hear`).
   */
  private isDue(d: DeviceRuntime): boolean {
    const cadence = d.spec.cadence;
    if (cadence.kind === "interval") return this.simSec - d.lastPublishSec >= cadence.everySec;
    return d.channels.some((ch, i) => {
      const before = d.lastPublishedValues[i] ?? null;
      const now = this.isUnplugged(ch) ? null : this.reading(d, ch);
      if (before === null || now === null) return before !== now;
      return Math.abs(now - before) >= cadence.deltaTrigger;
    });
  }

  /** The device's stamp for now: never at or before its last one. */
  private nextStampMs(d: DeviceRuntime): number {
    const prev = Math.max(d.published.lastSeenMs ?? Number.NEGATIVE_INFINITY, d.published.heardMs ?? Number.NEGATIVE_INFINITY);
    return Math.max(this.stampMs, prev + MIN_PUBLISH_GAP_MS);
  }

  private rssiNow(d: DeviceRuntime): number {
    return Math.max(-95, Math.min(-30, Math.round(d.spec.rssiDbm + d.rssiOffsetDb)));
  }

  /** An RFX probe's heartbeat: the gateway hears it (battery and signal), no reading is uploaded. */
  private hear(d: DeviceRuntime): void {
    d.lastHeardSec = this.simSec;
    d.published = { ...d.published, heardMs: this.nextStampMs(d), battery: Math.round(d.batteryPct), rssiDbm: this.rssiNow(d) };
  }

  /** The device uploads: every channel gets the new value and the same lastSeen. */
  private publish(d: DeviceRuntime, exact?: ChannelRuntime): void {
    const stampMs = this.nextStampMs(d);
    d.lastPublishSec = this.simSec;
    d.lastHeardSec = this.simSec;
    d.published = { lastSeenMs: stampMs, heardMs: stampMs, battery: Math.round(d.batteryPct), rssiDbm: this.rssiNow(d) };
    d.channels.forEach((ch, i) => {
      const value = this.reading(d, ch, ch === exact);
      d.lastPublishedValues[i] = value;
      ch.published = publishChannel(ch, value, stampMs);
    });
  }

  /** Force a value (°C, or %RH for humidity) onto a channel now, or unplug it with null. Publishes at once. */
  setChannel(serial: string, channel: string, value: number | null): void {
    const d = this.device(serial);
    const ch = d?.channels.find((c) => c.number === channel);
    if (!d || !ch) throw new Error(`no channel ${channel} on device ${serial}`);
    ch.forcedUnplugged = value === null;
    if (value !== null) {
      if (ch.meat) ch.meat = { ...ch.meat, tempC: value };
      else if (ch.spec.sense.kind === "humidity") ch.humidityPct = value;
      else this.cookerOf(d).state = { ...this.cookerOf(d).state, tempC: value };
    }
    // The forced value is published as given (no sensor noise), so tests and benchmarks can rely on it.
    this.publish(d, ch);
  }

  /** Open the lid of the cooker this device sits in (the pit drops 20–40 °C, then recovers). */
  openLid(serial: string): void {
    const d = this.device(serial);
    if (!d) throw new Error(`no device ${serial}`);
    const cooker = this.cookerOf(d);
    cooker.state = openLid(cooker.state, this.rng);
  }

  /**
   * Wrap the meat one channel measures (foil or paper: its stall ends), or with no channel every
   * meat channel of the device (an RFX Meat probe's four sensors sit in one piece of meat).
   */
  wrap(serial: string, channel?: string): void {
    const d = this.device(serial);
    if (!d) throw new Error(`no device ${serial}`);
    const channels = d.channels.filter((c) => c.meat !== null && (channel === undefined || c.number === channel));
    if (channel !== undefined && channels.length === 0) throw new Error(`no meat channel ${channel} on device ${serial}`);
    for (const c of channels) c.meat = { ...(c.meat as MeatState), wrapped: true };
  }

  /** Current true temperature of a channel in °C (for tests and the control API). */
  trueTempC(serial: string, channel: string): number | null {
    const d = this.device(serial);
    const ch = d?.channels.find((c) => c.number === channel);
    if (!d || !ch) return null;
    if (ch.spec.sense.kind === "humidity") return ch.humidityPct;
    return ch.meat ? ch.meat.tempC : this.cookerOf(d).state.tempC;
  }
}

const publishChannel = (ch: ChannelRuntime, value: number | null, stampMs: number): PublishedChannel => {
  const p = ch.published;
  const high = ch.spec.alarmHigh;
  const low = ch.spec.alarmLow;
  const alarmingHigh = value !== null && high !== undefined && value >= high;
  const alarmingLow = value !== null && low !== undefined && value <= low;
  const status = value === null ? "NO PROBE" : alarmingHigh ? "HIGH" : alarmingLow ? "LOW" : "NORMAL";
  return {
    value,
    lastSeenMs: stampMs,
    status,
    min: value !== null && (p.min === null || value < p.min.value) ? { value, atMs: stampMs } : p.min,
    max: value !== null && (p.max === null || value > p.max.value) ? { value, atMs: stampMs } : p.max,
    alarmingHigh,
    alarmingLow,
  };
};

