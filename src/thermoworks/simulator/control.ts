/**
 * `POST /__control/<action>` JSON endpoints, so another process (bench, a shell) can script the
 * simulator the same way tests do through the handle. Not counted as cloud requests.
 */
import { z } from "zod";
import type { Answer } from "./auth";
import type { Faults } from "./faults";

export interface ControlTarget {
  faults: Faults;
  setChannel(serial: string, channel: string, tempC: number | null): void;
  openLid(serial: string): void;
  wrap(serial: string, channel?: string): void;
  advance(simSeconds: number): void;
  state(): unknown;
}

const count = z.number().int().nonnegative();
const retryAfter = z.union([z.number().nonnegative(), z.string().min(1)]).nullish();
const scope = z.enum(["all", "firestore", "auth"]).optional();
const target = z.enum(["any", "user", "device", "channel"]).optional();

const actions = {
  "revoke-tokens": z.object({}).loose(),
  "rate-limit": z.object({ count, retryAfter, scope }),
  unavailable: z.object({ count, retryAfter, scope }),
  delay: z.object({ ms: z.number().nonnegative(), count: count.optional() }),
  "malformed-json": z.object({ count, target }),
  "invalid-document": z.object({ count, target }),
  "fail-refresh": z.object({ count: count.optional(), status: z.number().int().min(400).max(599).optional(), reason: z.string().optional() }),
  "enumeration-protection": z.object({ on: z.boolean() }),
  "override-fields": z.object({ serial: z.string(), channel: z.union([z.string(), z.number().int().positive()]).transform(String).optional(), fields: z.record(z.string(), z.unknown()).nullable() }),
  "fail-device": z.object({ serial: z.string(), status: z.number().int().min(400).max(599).optional(), count: count.optional() }),
  "junk-query-rows": z.object({ rows: z.array(z.unknown()) }),
  "oversized-answer": z.object({ count, bytes: z.number().int().positive().max(1 << 30), scope, declareLength: z.boolean().optional() }),
  "echo-auth-request": z.object({ endpoint: z.enum(["signIn", "refresh"]), status: z.number().int().min(400).max(599).optional(), shape: z.enum(["text", "envelope"]).optional(), count: count.optional() }),
  reset: z.object({}).loose(),
  "set-channel": z.object({ serial: z.string(), channel: z.union([z.string(), z.number().int().positive()]).transform(String), tempC: z.number().nullable() }),
  "open-lid": z.object({ serial: z.string() }),
  wrap: z.object({ serial: z.string(), channel: z.union([z.string(), z.number().int().positive()]).transform(String).optional() }),
  advance: z.object({ simSeconds: z.number().nonnegative().max(7 * 24 * 3600) }),
} as const;
type Action = keyof typeof actions;

const bad = (message: string): Answer => ({ status: 400, body: { error: { code: 400, message, status: "INVALID_ARGUMENT" } } });

const apply = (t: ControlTarget, action: Action, body: unknown): void => {
  const f = t.faults;
  switch (action) {
    case "revoke-tokens": return f.revokeAllTokens();
    case "rate-limit": { const b = actions[action].parse(body); return f.rateLimit(b.count, { retryAfter: b.retryAfter, scope: b.scope }); }
    case "unavailable": { const b = actions[action].parse(body); return f.unavailable(b.count, { retryAfter: b.retryAfter, scope: b.scope }); }
    case "delay": { const b = actions[action].parse(body); return f.delay(b.ms, b.count); }
    case "malformed-json": { const b = actions[action].parse(body); return f.malformedJson(b.count, b.target); }
    case "invalid-document": { const b = actions[action].parse(body); return f.invalidDocument(b.count, b.target); }
    case "fail-refresh": { const b = actions[action].parse(body); return f.failRefresh(b.count, { status: b.status, reason: b.reason }); }
    case "enumeration-protection": { f.enumerationProtection = actions[action].parse(body).on; return; }
    case "override-fields": { const b = actions[action].parse(body); return f.overrideFields({ serial: b.serial, channel: b.channel }, b.fields); }
    case "fail-device": { const b = actions[action].parse(body); return f.failDevice(b.serial, { status: b.status, count: b.count }); }
    case "junk-query-rows": return f.junkQueryRows(actions[action].parse(body).rows);
    case "echo-auth-request": { const b = actions[action].parse(body); return f.echoAuthRequest(b.endpoint, { status: b.status, shape: b.shape, count: b.count }); }
    case "oversized-answer": { const b = actions[action].parse(body); return f.oversizedAnswer(b.count, { bytes: b.bytes, scope: b.scope, declareLength: b.declareLength }); }
    case "reset": return f.reset();
    case "set-channel": { const b = actions[action].parse(body); return t.setChannel(b.serial, b.channel, b.tempC); }
    case "open-lid": return t.openLid(actions[action].parse(body).serial);
    case "wrap": { const b = actions[action].parse(body); return t.wrap(b.serial, b.channel); }
    case "advance": return t.advance(actions[action].parse(body).simSeconds);
  }
};

export const handleControl = (t: ControlTarget, method: string, action: string | undefined, body: unknown): Answer => {
  if (method === "GET" && (action === "state" || action === undefined)) return { status: 200, body: t.state() };
  if (method !== "POST" || action === undefined || !(action in actions)) {
    return bad(`unknown control request ${method} /__control/${action ?? ""}; POST one of: ${Object.keys(actions).join(", ")}`);
  }
  const parsed = actions[action as Action].safeParse(body ?? {});
  if (!parsed.success) return bad(parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
  try {
    apply(t, action as Action, body ?? {});
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
  return { status: 200, body: t.state() };
};
