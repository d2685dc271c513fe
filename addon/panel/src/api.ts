/**
 * The panel's only HTTP client. Every URL is RELATIVE ("api/probes"), so the panel works under
 * Home Assistant's ingress prefix (/api/hassio_ingress/<token>/) and when opened directly.
 */
import type { AlarmRule, DeliveryRecord } from "../../../src/shared/ports";
import type { AlarmState, Cook, CookEvent, CookEventKind, Device, ProbeSettings, ProbeState } from "../../../src/shared/model";
import type { CookSummary } from "../../../src/http/cooks/summary";
import { localize } from "./localize";

export type { CookSummary, ProbeSummary } from "../../../src/http/cooks/summary";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The add-on's validation message for a person: without the path of the offending field
 * ("body.targetC: must be at most 400 °C" → "must be at most 400 °C"); the panel shows it next to
 * that field. Every part of a message listing several problems ("…; …") loses its path.
 */
export const withoutFieldPath = (message: string): string =>
  message
    .split("; ")
    .map((part) => part.replace(/^(?:body|params|query|path)(?:\.[\w-]+)*: /, ""))
    .join("; ");

const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const init: RequestInit = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  }
  const res = await fetch(path, init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy error page (HTML) instead of JSON: report the status below.
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? "http_error", err?.message !== undefined ? withoutFieldPath(err.message) : localize("common.request_failed", { status: `${res.status} ${res.statusText}` }));
  }
  return json as T;
};

export interface Health {
  status: "ok" | "degraded";
  version: string;
  mode: "demo" | "cloud";
  displayUnit?: "C" | "F";
  demo?: { reason?: string; speed?: number } | null;
  thermoworks: Record<string, unknown>;
  homeassistant: Record<string, unknown>;
  store: Record<string, unknown>;
}

export type HistoryPoint = [tsMs: number, tempC: number | null];
export interface HistoryResponse {
  probes: Record<string, HistoryPoint[]>;
  from: number;
  to: number;
  points: number;
}
/** `/api/history?format=columns`: each time as its distance from the one before, the first from `from`. */
interface HistoryColumnsResponse extends Omit<HistoryResponse, "probes"> {
  probes: Record<string, { dt: number[]; tempC: Array<number | null> }>;
}

/** The columns answer (half the bytes of the pairs one) back into points. */
export const fromHistoryColumns = (res: HistoryColumnsResponse): HistoryResponse => {
  const probes: Record<string, HistoryPoint[]> = {};
  for (const [id, { dt, tempC }] of Object.entries(res.probes)) {
    let t = res.from;
    probes[id] = dt.map((d, i): HistoryPoint => [(t += d), tempC[i] ?? null]);
  }
  return { probes, from: res.from, to: res.to, points: res.points };
};

export type CookListItem = Cook & { summary: CookSummary };
export interface CookList {
  cooks: CookListItem[];
  nextBefore: number | null;
}
export interface CookDetail {
  cook: Cook;
  events: CookEvent[];
  summary: CookSummary;
  /** The cooks just before and after this one: the two it can be merged with. */
  neighbours: { previous: Cook | null; next: Cook | null };
}

const q = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
};
const enc = encodeURIComponent;

export const api = {
  health: () => request<Health>("GET", "api/health"),
  probes: () => request<ProbeState[]>("GET", "api/probes"),
  devices: () => request<Device[]>("GET", "api/devices"),
  history: async (probeIds: string[], fromMs: number, toMs: number, points: number): Promise<HistoryResponse> =>
    fromHistoryColumns(
      await request<HistoryColumnsResponse>(
        "GET",
        `api/history${q({ probe: probeIds.length ? probeIds.join(",") : undefined, from: Math.floor(fromMs), to: Math.ceil(toMs), points, format: "columns" })}`,
      ),
    ),
  saveSettings: (probeId: string, patch: Partial<Omit<ProbeSettings, "probeId">>) =>
    request<ProbeSettings>("PUT", `api/probes/${enc(probeId)}/settings`, patch),
  cooks: (limit = 30, beforeMs?: number) => request<CookList>("GET", `api/cooks${q({ limit, before: beforeMs })}`),
  cook: (id: number) => request<CookDetail>("GET", `api/cooks/${id}`),
  updateCook: (id: number, patch: { name?: string; notes?: string; targets?: Record<string, number | null> }) =>
    request<Cook>("PATCH", `api/cooks/${id}`, patch),
  deleteCook: (id: number) => request<void>("DELETE", `api/cooks/${id}`),
  addEvent: (id: number, event: { tsMs: number; kind: CookEventKind; text: string; probeId?: string | null }) =>
    request<CookEvent>("POST", `api/cooks/${id}/events`, event),
  deleteEvent: (id: number, eventId: number) => request<void>("DELETE", `api/cooks/${id}/events/${eventId}`),
  splitCook: (id: number, atMs: number, name: string) => request<{ cook: Cook; newCook: Cook }>("POST", `api/cooks/${id}/split`, { atMs, name }),
  mergeCook: (id: number, otherId: number) => request<{ cook: Cook }>("POST", `api/cooks/${id}/merge`, { otherId }),
  exportUrl: (id: number, format: "csv" | "json") => `api/cooks/${id}/export?format=${format}`,
  alarms: () => request<AlarmState[]>("GET", "api/alarms"),
  acknowledge: (id: string) => request<AlarmState | undefined>("POST", `api/alarms/${enc(id)}/acknowledge`, {}),
  snooze: (id: string, minutes: number) => request<AlarmState | undefined>("POST", `api/alarms/${enc(id)}/snooze`, { minutes }),
  rules: () => request<AlarmRule[]>("GET", "api/alarms/rules"),
  saveRule: (rule: AlarmRule) => request<AlarmRule[]>("PUT", "api/alarms/rules", rule),
  deliveries: (limit = 50) => request<DeliveryRecord[]>("GET", `api/alarms/deliveries${q({ limit })}`),
};
