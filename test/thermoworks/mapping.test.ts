import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { clientConfigFromConfig, toDeviceKind, toProbeRole } from "../../src/thermoworks";
import { parseDocument, toChannel, toDevice, withRfxCore } from "../../src/thermoworks/mapping";
import { channelFieldsSchema, deviceFieldsSchema } from "../../src/thermoworks/schemas";
import { makeTempDir } from "../support/tmp";

/** When these tests map documents: the time the cloud's timestamps are judged against. */
const NOW = Date.parse("2026-06-05T09:00:00Z");
/** Device times in the tests below, relative to a moment an hour before NOW. */
const T = NOW - 3_600_000;
const at = (ms: number): string => new Date(T + ms).toISOString();

const doc = (name: string, fields: Record<string, unknown>) => ({ name: `projects/p/databases/(default)/documents/${name}`, fields });

describe("lenient parsing of cloud documents", () => {
  it("reads an RFX meat probe: no deviceId, gatewayRSSI as a string, integerValue as a bare number", () => {
    const parsed = parseDocument(
      doc("devices/M100081209", {
        serial: { stringValue: "M100081209" },
        type: { stringValue: "bbq" },
        device: { stringValue: "rfx meat" },
        battery: { integerValue: 87 },
        gatewayRSSI: { stringValue: "-61" },
        lastSeen: { timestampValue: "2025-06-05T07:12:14.827Z" },
      }),
      deviceFieldsSchema,
      "x",
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const device = toDevice(parsed.id, parsed.fields, NOW);
    expect(device).toMatchObject({ serial: "M100081209", key: "m100081209", kind: "rfx_meat", batteryPct: 87, signalDbm: -61, lastSeenMs: Date.parse("2025-06-05T07:12:14.827Z"), firmware: null, transmitIntervalSec: null });
  });

  it("reads how an RFX Meat probe reports: its trigger in °C, its heartbeat, and the gateway's last contact", () => {
    const seen = Date.parse("2026-06-05T07:00:00Z");
    const heard = seen + 40 * 60_000;
    const fields = (extra: Record<string, unknown>) => {
      const parsed = parseDocument(
        doc("devices/M100081209", {
          serial: { stringValue: "M100081209" },
          type: { stringValue: "rfx" },
          device: { stringValue: "rfx meat" },
          lastSeen: { timestampValue: new Date(seen).toISOString() },
          transmitIntervalInSeconds: { integerValue: "60" },
          ...extra,
        }),
        deviceFieldsSchema,
        "x",
      );
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.fields;
    };
    const meat = toDevice("M100081209", fields({ temperatureDeltaTrigger: { integerValue: "3" }, heartbeatInterval: { integerValue: "60" }, gatewayLastSeen: { timestampValue: new Date(heard).toISOString() } }), NOW);
    // 3 °F; heard from each minute (the meat probe's own 60 s means nothing); last heard 40 min after its last upload.
    expect(meat).toMatchObject({ reportDeltaC: 1.667, transmitIntervalSec: 60, lastSeenMs: heard });
    // A reading that has not moved by the trigger is not uploaded: it holds until the gateway last heard the probe.
    const parsed = parseDocument(doc("devices/M100081209/channels/1", { value: { doubleValue: 160.5 }, units: { stringValue: "F" }, lastSeen: { timestampValue: new Date(seen).toISOString() } }), channelFieldsSchema, "x");
    if (!parsed.ok) throw new Error(parsed.error);
    expect(toChannel(meat, { deviceDisplayUnits: "F" }, parsed.id, parsed.fields, NOW).reading).toEqual({ probeId: "m100081209_1", tsMs: heard, tempC: 71.389 });
    // In °C, and without a trigger (the smallest, 1°), a heartbeat or the gateway's time.
    expect(toDevice("M1", fields({ temperatureDeltaTrigger: { integerValue: "2" }, deviceDisplayUnits: { stringValue: "C" } }), NOW)).toMatchObject({ reportDeltaC: 2, transmitIntervalSec: null, lastSeenMs: seen });
    expect(toDevice("M1", fields({ temperatureDeltaTrigger: { stringValue: "soon" } }), NOW).reportDeltaC).toBe(0.556);
    // Devices on a clock keep their own interval and last contact, whatever else they carry.
    const gateway = toDevice("G", { serial: "G", type: "rfx", device: "rfx gateway", transmitIntervalInSeconds: 60, lastSeen: seen, gatewayLastSeen: heard, temperatureDeltaTrigger: 1 }, NOW);
    expect(gateway).toMatchObject({ reportDeltaC: null, transmitIntervalSec: 60, lastSeenMs: seen });
  });

  it("reads the misspelt wifi_stength, and takes the serial from the document name when the field is absent", () => {
    const parsed = parseDocument(doc("devices/10:06:1C:6F:47:70", { wifi_stength: { integerValue: "-72" }, type: { stringValue: "datalogger" } }), deviceFieldsSchema, "x");
    if (!parsed.ok) throw new Error(parsed.error);
    expect(toDevice(parsed.id, parsed.fields, NOW)).toMatchObject({ serial: "10:06:1C:6F:47:70", kind: "node", signalDbm: -72, label: "" });
  });

  it("maps channel values: °F converted, doubles and integers alike, nullValue = no reading, H kept as %RH", () => {
    const device = toDevice("A", { serial: "A", type: "signals", device: "signals", lastSeen: T + 1_000 }, NOW);
    const channel = (fields: Record<string, unknown>) => {
      const parsed = parseDocument(doc("devices/A/channels/1", fields), channelFieldsSchema, "x");
      if (!parsed.ok) throw new Error(parsed.error);
      return toChannel(device, {}, parsed.id, parsed.fields, NOW);
    };
    expect(channel({ value: { integerValue: "212" }, units: { stringValue: "F" }, lastSeen: { timestampValue: at(2_000) } }).reading).toEqual({ probeId: "a_1", tsMs: T + 2_000, tempC: 100 });
    expect(channel({ value: { doubleValue: 73.0999984741211 }, units: { stringValue: "C" } }).reading?.tempC).toBe(73.1);
    // No channel timestamp: the device's lastSeen keys the reading.
    expect(channel({ value: { nullValue: null }, units: { stringValue: "F" } }).reading).toEqual({ probeId: "a_1", tsMs: T + 1_000, tempC: null });
    const humidity = channel({ value: { doubleValue: 48.5 }, units: { stringValue: "H" }, type: { stringValue: "HumidityHumidity" } });
    expect(humidity.probe.role).toBe("humidity");
    expect(humidity.reading?.tempC).toBe(48.5);
    expect(channel({ value: { integerValue: 5 }, units: { stringValue: "K" } })).toMatchObject({ reading: { tempC: null }, problems: [{ field: "units", problem: "is not F, C or H; value ignored", value: "K" }] });
    // Impossible values are no reading; the edges of what a probe can read are kept.
    expect(channel({ value: { doubleValue: 1000 }, units: { stringValue: "C" } }).reading?.tempC).toBe(1000);
    expect(channel({ value: { doubleValue: 1000.5 }, units: { stringValue: "C" } })).toMatchObject({ reading: { tempC: null }, problems: [{ field: "value" }] });
    expect(channel({ value: { doubleValue: -300 }, units: { stringValue: "C" } })).toMatchObject({ reading: { tempC: -300 }, problems: [] });
    expect(channel({ value: { doubleValue: 140 }, units: { stringValue: "H" } }).reading?.tempC).toBeNull();
    expect(channel({}).probe).toMatchObject({ channel: "1", label: "", type: "", role: "meat" });
  });

  it("adds an RFX Meat probe's core (lowest sensor, latest time), skips sensors without a reading, and leaves other devices alone", () => {
    const sensors = (serial: string, type: string, model: string, values: (number | null)[]) => {
      const device = toDevice(serial, { serial, type, device: model, label: "Pork Loin", lastSeen: T + 1_000 }, NOW);
      const mapped = values.map((v, i) => {
        const fields = { value: v === null ? { nullValue: null } : { doubleValue: v }, units: { stringValue: "C" }, lastSeen: { timestampValue: at(2_000 + i * 1_000) } };
        const parsed = parseDocument(doc(`devices/${serial}/channels/${i + 1}`, fields), channelFieldsSchema, "x");
        if (!parsed.ok) throw new Error(parsed.error);
        return toChannel(device, {}, parsed.id, parsed.fields, NOW);
      });
      return withRfxCore(device, mapped);
    };
    const rfx = sensors("M1", "rfx", "rfx meat", [41.2, null, 38.6, 55]);
    expect(rfx).toHaveLength(5);
    expect(rfx[0]?.probe).toMatchObject({ id: "m1_core", channel: "core", label: "Pork Loin", role: "meat" });
    expect(rfx[0]?.reading).toEqual({ probeId: "m1_core", tsMs: T + 5_000, tempC: 38.6 });
    // Every sensor unplugged: the core reads "no probe" too.
    expect(sensors("M1", "rfx", "rfx meat", [null, null, null, null])[0]?.reading).toEqual({ probeId: "m1_core", tsMs: T + 5_000, tempC: null });
    // One sensor found: still a core, or that probe would have no ETA, stall or alarms at all.
    expect(sensors("M1", "rfx", "rfx meat", [41.2]).map((c) => c.probe.id)).toEqual(["m1_core", "m1_1"]);
    expect(sensors("A", "signals", "signals", [41.2, 38.6]).map((c) => c.probe.id)).toEqual(["a_1", "a_2"]);
  });

  it("rejects a document whose fields have the wrong type, naming the path", () => {
    const bad = parseDocument(doc("devices/A/channels/2", { value: { stringValue: "hot" } }), channelFieldsSchema, "x");
    expect(bad).toMatchObject({ ok: false, name: "projects/p/databases/(default)/documents/devices/A/channels/2" });
    expect(bad.ok ? "" : bad.error).toContain("fields.value");
    const badTs = parseDocument(doc("devices/A", { lastSeen: { timestampValue: "yesterday" } }), deviceFieldsSchema, "x");
    expect(badTs.ok ? "" : badTs.error).toContain("fields.lastSeen");
    const noName = parseDocument({ fields: {} }, deviceFieldsSchema, "device query result 3");
    expect(noName).toMatchObject({ ok: false, name: "device query result 3" });
  });
});

describe("device kinds and probe roles", () => {
  it("derives the device kind from type, model and serial", () => {
    expect(toDeviceKind("signals", "signals", "AA:BB")).toBe("signals");
    expect(toDeviceKind("rfx", "rfx gateway", "AA:BB")).toBe("rfx_gateway");
    expect(toDeviceKind("rfx", "rfx meat", "M1")).toBe("rfx_meat");
    expect(toDeviceKind("bbq", "", "M100081209")).toBe("rfx_meat");
    expect(toDeviceKind("rfx", "", "M100081209")).toBe("rfx_meat");
    expect(toDeviceKind("datalogger", "node", "AA")).toBe("node");
    expect(toDeviceKind("bluedot", "", "AA")).toBe("bluedot");
    expect(toDeviceKind("smoke", "", "AA")).toBe("smoke");
    expect(toDeviceKind("thermadata", "", "AA")).toBe("unknown");
  });

  it("calls cooker-air probes pit by label or type, as whole words only", () => {
    expect(toProbeRole("signals", "F", "Pit", "Pro-Series")).toBe("pit");
    expect(toProbeRole("signals", "F", "Grill 2", "")).toBe("pit");
    expect(toProbeRole("signals", "F", "", "Pro-Series High Temp Air Probe")).toBe("pit");
    expect(toProbeRole("signals", "F", "Dome", "")).toBe("pit");
    expect(toProbeRole("signals", "F", "Grilled chicken", "")).toBe("meat");
    expect(toProbeRole("signals", "F", "Hospital", "")).toBe("meat");
    expect(toProbeRole("rfx_gateway", "C", "", "Pro-Series")).toBe("pit");
    expect(toProbeRole("rfx_meat", "C", "", "rfx meat sensor")).toBe("meat");
    expect(toProbeRole("node", "H", "", "HumidityHumidity")).toBe("humidity");
    expect(toProbeRole("node", "C", "Fridge", "")).toBe("ambient");
  });
});

describe("clientConfigFromConfig", () => {
  const configWith = (options: Record<string, unknown>, env: Record<string, string> = {}) => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, "options.json");
      writeFileSync(file, JSON.stringify(options));
      return loadConfig({ GRILL_STATS_OPTIONS: file, GRILL_STATS_DATA_DIR: tmp.dir, ...env }, () => false);
    } finally {
      tmp.cleanup();
    }
  };

  it("uses Google's hosts and the hard-coded project id for the ThermoWorks cloud", () => {
    const c = clientConfigFromConfig(configWith({ thermoworks_email: "a@b.co", thermoworks_password: "pw" }));
    expect(c).toMatchObject({
      email: "a@b.co",
      projectId: "thermoworks-cloud-production",
      identityUrl: "https://identitytoolkit.googleapis.com",
      tokenUrl: "https://securetoken.googleapis.com",
      firestoreUrl: "https://firestore.googleapis.com",
      firebaseUrl: "https://firebase.googleapis.com",
      referer: "https://cloud.thermoworks.com/",
    });
  });

  it("leaves the ETI project id empty (ask webConfig) and serves webConfig from an overridden identity origin", () => {
    const c = clientConfigFromConfig(
      configWith({ thermoworks_email: "a@b.co", thermoworks_password: "pw", thermoworks_cloud: "eti" }, { GRILL_STATS_TW_IDENTITY_URL: "http://127.0.0.1:9999/identity/", GRILL_STATS_TW_FIRESTORE_URL: "http://127.0.0.1:9999" }),
    );
    expect(c).toMatchObject({ projectId: "", identityUrl: "http://127.0.0.1:9999/identity", firebaseUrl: "http://127.0.0.1:9999", firestoreUrl: "http://127.0.0.1:9999", referer: "https://cloud.etiltd.com/" });
    expect(c.tokenUrl).toBe("https://securetoken.googleapis.com");
  });
});
