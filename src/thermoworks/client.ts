/**
 * The ThermoWorks Cloud client: one snapshot = user document (accountId) → runQuery of the
 * account's devices → channels 1, 2, … of each device until the first 404 (at most 9).
 * A document that fails validation is logged and skipped; the rest of the snapshot survives.
 */
import { UpstreamError, systemClock, type Clock, type Device, type Logger, type Probe, type Reading } from "../shared";
import { TokenManager } from "./auth";
import type { ThermoworksClientConfig } from "./client-config";
import { createHttp, toUpstreamError, type HttpResult } from "./http";
import { deviceProblems, parseDocument, toChannel, toDevice, withRfxCore, type ChannelMapping } from "./mapping";
import type { MappingProblem } from "./sanity";
import { channelFieldsSchema, deviceFieldsSchema, formatZodIssues, runQueryResponseSchema, runQueryRowSchema, userFieldsSchema, type DeviceFields } from "./schemas";

export interface Snapshot {
  devices: Device[];
  probes: Probe[];
  readings: Reading[];
  /**
   * Devices whose channels could not be read this time (HTTP 500, a timeout …): they are in
   * `devices`, but none of their probes or readings are; every other device's are.
   */
  deviceErrors: DeviceError[];
}

export interface DeviceError {
  serial: string;
  error: string;
}

export interface ThermoworksClient {
  fetchSnapshot(): Promise<Snapshot>;
  /** Cloud requests (all hosts) sent in the last hour. */
  requestsLastHour(): number;
  readonly signedIn: boolean;
}

/** Channel discovery stops here even without a 404 (as every public client does). */
export const MAX_CHANNELS = 9;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_WARNED = 500;
/** A document problem that persists is warned about again after this long (debug meanwhile). */
const WARN_AGAIN_MS = 3_600_000;

export const createThermoworksClient = (deps: { config: ThermoworksClientConfig; logger: Logger; clock?: Clock }): ThermoworksClient => {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const http = createHttp({ timeoutMs: config.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, clock });
  const auth = new TokenManager({ config, http, clock, logger });
  const warnedAtMs = new Map<string, number>();

  /** Warn once an hour per document and problem; repeats (every poll) go to debug. */
  const warnAbout = (message: string, key: string, fields: Record<string, unknown>): void => {
    const now = clock.now();
    const lastMs = warnedAtMs.get(key);
    if (lastMs !== undefined && now - lastMs < WARN_AGAIN_MS) return logger.debug(`${message} again`, fields);
    if (warnedAtMs.size >= MAX_WARNED) warnedAtMs.clear();
    warnedAtMs.set(key, now);
    logger.warn(message, fields);
  };
  const skipDocument = (name: string, error: string): void => warnAbout("skipped a malformed cloud document", `${name}|${error}`, { document: name, error });
  /** The value itself is in the line, not in the key: a clock running ahead warns once, not every poll. */
  const reportProblems = (name: string, problems: readonly MappingProblem[]): void => {
    for (const p of problems) warnAbout("ignored an impossible value in a cloud document", `${name}|${p.field}|${p.problem}`, { document: name, ...p });
  };

  /** One Firestore request with bearer + key; on 401 sign in again and retry once. */
  const firestore = async (method: "GET" | "POST", path: string, what: string, body?: unknown): Promise<HttpResult> => {
    const projectId = await auth.projectId();
    const send = (token: string): Promise<HttpResult> =>
      http.send({
        method,
        url: `${config.firestoreUrl}/v1/projects/${encodeURIComponent(projectId)}/databases/(default)/${path}?key=${encodeURIComponent(config.apiKey)}`,
        headers: { accept: "application/json", authorization: `Bearer ${token}`, referer: config.referer, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        what,
      });
    const token = await auth.token();
    const res = await send(token);
    if (res.status !== 401) return res;
    logger.info("the cloud rejected the token (401); signing in again", { request: what });
    const retried = await send(await auth.reauthenticate(token));
    if (retried.status === 401) throw new UpstreamError(`${what}: still HTTP 401 after signing in again`, true, 401);
    return retried;
  };

  const fetchAccountId = async (): Promise<string> => {
    await auth.token();
    const uid = auth.uid;
    if (!uid) throw new UpstreamError("ThermoWorks sign-in returned no user id", true);
    const what = "user document";
    const res = await firestore("GET", `documents/users/${encodeURIComponent(uid)}`, what);
    if (res.status !== 200) throw toUpstreamError(res, what, clock.now(), { secrets: auth.secrets });
    if (res.jsonError !== null) throw new UpstreamError(`${what}: not JSON (${res.jsonError})`, true, 200);
    const parsed = parseDocument(res.json, userFieldsSchema, `users/${uid}`);
    if (!parsed.ok) throw new UpstreamError(`${what} ${parsed.name}: ${parsed.error}`, true, 200);
    return parsed.fields.accountId;
  };

  const fetchDevices = async (accountId: string): Promise<{ device: Device; fields: DeviceFields }[]> => {
    const what = "device query";
    const query = {
      structuredQuery: {
        from: [{ collectionId: "devices" }],
        where: { fieldFilter: { field: { fieldPath: "accountId" }, op: "EQUAL", value: { stringValue: accountId } } },
        orderBy: [{ field: { fieldPath: "__name__" }, direction: "ASCENDING" }],
      },
    };
    const res = await firestore("POST", "documents:runQuery", what, query);
    if (res.status !== 200) throw toUpstreamError(res, what, clock.now(), { secrets: auth.secrets });
    const rows = runQueryResponseSchema.safeParse(res.json);
    if (!rows.success) throw new UpstreamError(`${what}: unexpected answer (${res.jsonError ?? formatZodIssues(rows.error)})`, true, 200);
    const devices: { device: Device; fields: DeviceFields }[] = [];
    rows.data.forEach((raw, i) => {
      const row = runQueryRowSchema.safeParse(raw);
      if (!row.success) return skipDocument(`device query result ${i}`, `not a result row (${formatZodIssues(row.error)})`);
      if (row.data.document === undefined) return;
      const parsed = parseDocument(row.data.document, deviceFieldsSchema, `device query result ${i}`);
      if (!parsed.ok) return skipDocument(parsed.name, parsed.error);
      const nowMs = clock.now();
      reportProblems(parsed.name, deviceProblems(parsed.fields, nowMs));
      devices.push({ device: toDevice(parsed.id, parsed.fields, nowMs), fields: parsed.fields });
    });
    return devices;
  };

  type DeviceChannels = { ok: true; serial: string; probes: Probe[]; readings: Reading[] } | { ok: false; serial: string; failure: UpstreamError };

  /**
   * One device's channels, or why they could not be read. A failure that concerns the whole
   * account (rate limit, sign-in, a bug) is thrown: it is the poll's, and backs off all of it.
   * Any other failure costs this device all its channels this time: half a device (an RFX
   * Meat core from two of its four sensors) would be a wrong reading, not a missing one.
   */
  const fetchDeviceChannels = async (device: Device, fields: DeviceFields): Promise<DeviceChannels> => {
    try {
      return { ok: true, serial: device.serial, ...(await fetchChannels(device, fields)) };
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status === 429 || err.status === 401) throw err;
      return { ok: false, serial: device.serial, failure: err };
    }
  };

  const fetchChannels = async (device: Device, fields: DeviceFields): Promise<{ probes: Probe[]; readings: Reading[] }> => {
    const channels: ChannelMapping[] = [];
    for (let n = 1; n <= MAX_CHANNELS; n++) {
      const path = `devices/${device.serial}/channels/${n}`;
      const what = `channel ${n} of device ${device.serial}`;
      const res = await firestore("GET", `documents/devices/${encodeURIComponent(device.serial)}/channels/${n}`, what);
      if (res.status === 404) break;
      if (res.status === 403) {
        warnAbout("the cloud refused a channel; skipping the rest of this device", `${path}|403`, { document: path });
        break;
      }
      if (res.status !== 200) throw toUpstreamError(res, what, clock.now(), { secrets: auth.secrets });
      if (res.jsonError !== null) {
        skipDocument(path, `not JSON (${res.jsonError})`);
        continue;
      }
      const parsed = parseDocument(res.json, channelFieldsSchema, path);
      if (!parsed.ok) {
        skipDocument(parsed.name, parsed.error);
        continue;
      }
      const mapped = toChannel(device, fields, parsed.id, parsed.fields, clock.now());
      reportProblems(parsed.name, mapped.problems);
      channels.push(mapped);
    }
    const all = withRfxCore(device, channels);
    return { probes: all.map((c) => c.probe), readings: all.flatMap((c) => (c.reading ? [c.reading] : [])) };
  };

  const readSnapshot = async (): Promise<Snapshot> => {
    const accountId = await fetchAccountId();
    const found = await fetchDevices(accountId);
    const perDevice = await Promise.all(found.map(({ device, fields }) => fetchDeviceChannels(device, fields)));
    const read = perDevice.flatMap((d) => (d.ok ? [d] : []));
    const failed = perDevice.flatMap((d) => (d.ok ? [] : [d]));
    // Every device failing is the cloud failing, not the devices: the poll fails and backs off.
    if (read.length === 0 && failed[0]) throw failed[0].failure;
    return {
      devices: found.map((f) => f.device),
      probes: read.flatMap((d) => d.probes),
      readings: read.flatMap((d) => d.readings),
      deviceErrors: failed.map((d) => ({ serial: d.serial, error: d.failure.message })),
    };
  };

  /**
   * One snapshot. Every error text leaving here goes to the log, the poller's status
   * (/api/health) and Home Assistant, none of which knows our tokens: scrub them here, once.
   */
  const fetchSnapshot = async (): Promise<Snapshot> => {
    try {
      const snap = await readSnapshot();
      return { ...snap, deviceErrors: snap.deviceErrors.map((d) => ({ ...d, error: auth.secrets.redact(d.error) })) };
    } catch (err) {
      throw auth.secrets.redactError(err);
    }
  };

  return {
    fetchSnapshot,
    requestsLastHour: () => http.requestsLastHour(),
    get signedIn() {
      return auth.signedIn;
    },
  };
};
