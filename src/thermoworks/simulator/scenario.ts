/**
 * The default simulated world: who exists, which devices they own, what is cooking.
 * Plain data; `world.ts` brings it to life.
 */
import type { MeatParams, PitParams } from "./physics";

export type WireUnits = "F" | "C" | "H";

export interface ChannelSpec {
  label: string;
  /** Cloud probe type string, e.g. "Pro-Series", "rfx meat sensor". */
  type: string;
  units: WireUnits;
  /** `air` reads the cooker's temperature; `meat` runs the heating model; `humidity` reads %RH. */
  sense: { kind: "air" } | { kind: "meat"; params: MeatParams; startC: number } | { kind: "humidity"; pct: number };
  /** Alarm thresholds in the channel's units (integers, as the app stores them). */
  alarmHigh?: number;
  alarmLow?: number;
  /** Simulated seconds (since the cook start) during which the probe is unplugged. */
  unplugged?: { fromSec: number; toSec: number };
}

/**
 * When a device uploads: every `everySec`, or (RFX Meat) when a sensor moved by `deltaTrigger`
 * in its wire units; `heartbeatSec` is how often its gateway hears it in between
 * (`gatewayLastSeen`, `heartbeatInterval`), which uploads no reading.
 */
export type Cadence = { kind: "interval"; everySec: number } | { kind: "delta"; deltaTrigger: number; heartbeatSec: number };

export interface DeviceSpec {
  serial: string;
  /** Omitted on RFX meat probes, as on the real cloud. */
  deviceId?: string;
  label: string;
  type: string;
  device: string;
  firmware: string;
  /** Which cooker the probes sit in (key of `WorldSpec.cookers`). */
  cooker: string;
  cadence: Cadence;
  radio: "wifi" | "rfx";
  /** Mean RSSI in dBm. */
  rssiDbm: number;
  batteryPct: number;
  /** Percent per simulated hour. */
  batteryDrainPerHour: number;
  displayUnits: "F" | "C";
  transmitIntervalSec: number;
  recordingIntervalSec: number;
  channels: ChannelSpec[];
}

export interface AccountSpec {
  email: string;
  password: string;
  uid: string;
  accountId: string;
  displayName: string;
  disabled?: boolean;
  devices: DeviceSpec[];
}

export interface WorldSpec {
  cookers: Record<string, PitParams & { startC: number }>;
  accounts: AccountSpec[];
  /** Simulated seconds the cook has already run when the simulator starts (pit hot, meat rising). */
  prerollSec: number;
  /**
   * Every this many simulated seconds the meat is pulled (meat probes unplugged for 10 minutes)
   * and fresh meat goes in, so a long-running demo keeps cooking. 0 = one cook forever.
   * Scheduled unplug windows repeat in every cycle.
   */
  cookCycleSec: number;
}

const HOUR = 3600;

/** Per-cut heating constants, tuned so a brisket at ~116 °C takes ~12 h with a ~3 h stall. */
export const CUTS = {
  brisket: { k: 4.5e-5, stallDepth: 0.95, stallSec: 9000 },
  porkButt: { k: 5.5e-5, stallDepth: 0.95, stallSec: 8000 },
  /** ~1.5 h from the fridge to 74 °C at 180 °C; ~3 h on a 116 °C smoker. */
  chicken: { k: 0.95e-4, stallDepth: 0.5, stallSec: 600 },
  turkeyBreast: { k: 7e-5, stallDepth: 0.6, stallSec: 1800 },
} satisfies Record<string, MeatParams>;

const signals: DeviceSpec = {
  serial: "A4:CF:12:3B:5E:01",
  deviceId: "A4:CF:12:3B:5E:01",
  label: "Big Smoker",
  type: "signals",
  device: "signals",
  firmware: "1.4.12-88",
  cooker: "smoker",
  cadence: { kind: "interval", everySec: 5 },
  radio: "wifi",
  rssiDbm: -58,
  batteryPct: 96,
  batteryDrainPerHour: 4.5,
  displayUnits: "F",
  transmitIntervalSec: 5,
  recordingIntervalSec: 5,
  channels: [
    { label: "Pit", type: "Pro-Series", units: "F", sense: { kind: "air" }, alarmHigh: 275, alarmLow: 200 },
    { label: "Brisket", type: "Pro-Series", units: "F", sense: { kind: "meat", params: CUTS.brisket, startC: 4 }, alarmHigh: 203 },
    {
      label: "Pork Butt",
      type: "Pro-Series",
      units: "F",
      sense: { kind: "meat", params: CUTS.porkButt, startC: 4 },
      alarmHigh: 200,
      unplugged: { fromSec: 2 * HOUR, toSec: 2 * HOUR + 20 * 60 },
    },
    { label: "Chicken", type: "Pro-Series", units: "F", sense: { kind: "meat", params: CUTS.chicken, startC: 5 }, alarmHigh: 165 },
  ],
};

const rfxGateway: DeviceSpec = {
  serial: "C8:2B:96:4A:10:7E",
  deviceId: "C8:2B:96:4A:10:7E",
  label: "RFX Gateway",
  type: "rfx",
  device: "rfx gateway",
  firmware: "1.1.29-46",
  cooker: "kettle",
  cadence: { kind: "interval", everySec: 60 },
  radio: "wifi",
  rssiDbm: -64,
  batteryPct: 100,
  batteryDrainPerHour: 0,
  displayUnits: "C",
  transmitIntervalSec: 60,
  recordingIntervalSec: 0,
  channels: [{ label: "Kettle", type: "Pro-Series", units: "C", sense: { kind: "air" }, alarmHigh: 190, alarmLow: 140 }],
};

/** One RFX Meat probe = one device with 4 sensors along the shaft (tip = core, slowest). */
const rfxMeat: DeviceSpec = {
  serial: "M100081209",
  label: "Turkey Breast",
  type: "rfx",
  device: "rfx meat",
  firmware: "1.0.8-12",
  cooker: "kettle",
  cadence: { kind: "delta", deltaTrigger: 1, heartbeatSec: 60 },
  radio: "rfx",
  rssiDbm: -61,
  batteryPct: 88,
  batteryDrainPerHour: 1.2,
  displayUnits: "C",
  transmitIntervalSec: 60,
  recordingIntervalSec: 60,
  channels: [1, 1.4, 2, 3.2].map((depthFactor, i) => ({
    label: "",
    type: "rfx meat sensor",
    units: "C" as const,
    sense: { kind: "meat" as const, params: { ...CUTS.turkeyBreast, k: CUTS.turkeyBreast.k * depthFactor }, startC: 5 + i },
    ...(i === 0 ? { alarmHigh: 71 } : {}),
  })),
};

const node: DeviceSpec = {
  serial: "5C:CF:7F:00:AA:02",
  deviceId: "5C:CF:7F:00:AA:02",
  label: "Walk-in Fridge",
  type: "datalogger",
  device: "node",
  firmware: "1.0.26-26",
  cooker: "fridge",
  cadence: { kind: "interval", everySec: 600 },
  radio: "wifi",
  rssiDbm: -71,
  batteryPct: 74,
  batteryDrainPerHour: 0.1,
  displayUnits: "C",
  transmitIntervalSec: 7200,
  recordingIntervalSec: 600,
  channels: [
    { label: "Fridge", type: "Pro-Series", units: "C", sense: { kind: "air" }, alarmHigh: 5 },
    { label: "", type: "HumidityHumidity", units: "H", sense: { kind: "humidity", pct: 62 } },
  ],
};

export const defaultWorld = (): WorldSpec => ({
  prerollSec: 45 * 60,
  cookCycleSec: 16 * HOUR,
  cookers: {
    smoker: { setpointC: 116, startC: 112, wobbleC: 3, recoverTauSec: 180, lidEverySec: 100 * 60 },
    kettle: { setpointC: 163, startC: 158, wobbleC: 4, recoverTauSec: 150, lidEverySec: 0 },
    fridge: { setpointC: 3, startC: 3, wobbleC: 0.6, recoverTauSec: 600, lidEverySec: 0 },
  },
  accounts: [
    {
      email: "pitmaster@example.com",
      password: "low-and-slow-225",
      uid: "uidPitmaster0001",
      accountId: "acctPitmaster0001",
      displayName: "Demo Pitmaster",
      devices: [signals, rfxGateway, rfxMeat],
    },
    {
      email: "neighbour@example.com",
      password: "cold-storage-38",
      uid: "uidNeighbour0002",
      accountId: "acctNeighbour0002",
      displayName: "Neighbour",
      devices: [node],
    },
    { email: "disabled@example.com", password: "gone-fishing-00", uid: "uidDisabled0003", accountId: "acctDisabled0003", displayName: "Disabled", disabled: true, devices: [] },
  ],
});
