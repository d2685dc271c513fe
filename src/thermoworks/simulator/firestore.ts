/**
 * Firestore REST as the simulator serves it: document GETs, collection lists with page
 * tokens, and runQuery — with the access rules the real project enforces (own account only).
 */
import { randomBytes } from "node:crypto";
import type { Answer } from "./auth";
import { channelFields, deviceFields, googleError, iso, toDocument, userFields, type WireDocument, type WireValue } from "./documents";
import type { Faults } from "./faults";
import { pinnedValues, runQueryBodySchema, runStructuredQuery } from "./query";
import type { AccountSpec } from "./scenario";
import type { DeviceRuntime, World } from "./world";

export interface FirestoreContext {
  world: World;
  faults: Faults;
  projectId: string;
}

export interface FirestoreRequest {
  method: string;
  /** Decoded path segments after `documents` (for runQuery: the parent path). */
  path: string[];
  runQuery: boolean;
  query: URLSearchParams;
  body: unknown;
  account: AccountSpec;
}

const MAX_PAGE_TOKENS = 1000;
const ok = (body: unknown): Answer => ({ status: 200, body });
const forbidden = (): Answer => ({ status: 403, body: googleError(403, "PERMISSION_DENIED", "Missing or insufficient permissions.") });
const invalid = (message: string): Answer => ({ status: 400, body: googleError(400, "INVALID_ARGUMENT", message) });

export class FirestoreApi {
  /** Opaque page token → where the next page starts. */
  private readonly pageTokens = new Map<string, { collection: string; offset: number }>();

  constructor(private readonly ctx: FirestoreContext) {}

  private get root(): string {
    return `projects/${this.ctx.projectId}/databases/(default)/documents`;
  }

  private notFound(path: string[]): Answer {
    return { status: 404, body: googleError(404, "NOT_FOUND", `Document "${this.root}/${path.join("/")}" not found.`) };
  }

  handle(req: FirestoreRequest): Answer {
    if (req.runQuery) return req.method === "POST" && req.path.length === 0 ? this.runQuery(req) : invalid("runQuery is only simulated on the database root");
    if (req.method !== "GET") return { status: 405, body: googleError(405, "UNIMPLEMENTED", "The simulator is read-only.") };
    const [collection, id, sub, subId, ...more] = req.path;
    if (more.length > 0) return forbidden();
    if (collection === "users" && id !== undefined && sub === undefined) return this.getUser(req, id);
    if (collection !== "devices" || id === undefined) return forbidden();
    const device = this.ctx.world.device(id);
    if (device && device.accountId !== req.account.accountId) return forbidden();
    if (sub === undefined) return device ? this.single("device", this.deviceDoc(device)) : this.notFound(req.path);
    if (sub === "channels" && subId === undefined) return this.list(req, device ? this.channelDocs(device) : []);
    const failing = device && sub === "channels" ? this.ctx.faults.takeDeviceFailure(device.spec.serial) : null;
    if (failing !== null) return { status: failing, body: googleError(failing, failing >= 500 ? "INTERNAL" : "FAILED_PRECONDITION", "Internal error encountered.") };
    if (sub === "channels" && subId !== undefined) {
      const ch = device?.channels.find((c) => c.number === subId);
      return device && ch ? this.single("channel", this.channelDoc(device, ch.number)) : this.notFound(req.path);
    }
    if (sub === "archive" && subId === undefined) return this.list(req, []);
    return forbidden();
  }

  private getUser(req: FirestoreRequest, uid: string): Answer {
    if (uid !== req.account.uid) return forbidden();
    const stamp = this.ctx.world.stampMs;
    const doc = toDocument(`${this.root}/users/${uid}`, userFields(req.account, stamp), stamp - 400 * 24 * 3600 * 1000, stamp);
    return this.single("user", doc);
  }

  /** A single-document answer, with the malformed-JSON and invalid-document faults applied. */
  private single(kind: "user" | "device" | "channel", doc: WireDocument): Answer {
    const faults = this.ctx.faults;
    if (faults.takeMalformed(kind)) {
      const text = JSON.stringify(doc);
      return { status: 200, body: null, raw: text.slice(0, Math.floor(text.length / 2)) };
    }
    return ok(faults.takeInvalid(kind) ? corrupt(kind, doc) : doc);
  }

  private deviceDoc(d: DeviceRuntime): WireDocument {
    return this.tampered({ serial: d.spec.serial }, toDocument(`${this.root}/devices/${d.spec.serial}`, deviceFields(d), d.createMs, d.published.lastSeenMs ?? d.createMs));
  }

  private channelDoc(d: DeviceRuntime, number: string): WireDocument {
    const ch = d.channels.find((c) => c.number === number);
    if (!ch) throw new Error(`no channel ${number}`);
    const doc = toDocument(`${this.root}/devices/${d.spec.serial}/channels/${number}`, channelFields(ch), d.createMs, ch.published.lastSeenMs ?? d.createMs);
    return this.tampered({ serial: d.spec.serial, channel: number }, doc);
  }

  /** The document with the fields a test overrode (raw wire values). */
  private tampered(ref: { serial: string; channel?: string }, doc: WireDocument): WireDocument {
    const fields = this.ctx.faults.applyOverrides(ref, doc.fields);
    return fields === doc.fields ? doc : { ...doc, fields: fields as Record<string, WireValue> };
  }

  private channelDocs(d: DeviceRuntime): WireDocument[] {
    return d.channels.map((c) => this.channelDoc(d, c.number));
  }

  private list(req: FirestoreRequest, docs: WireDocument[]): Answer {
    const collection = req.path.join("/");
    const sizeParam = req.query.get("pageSize");
    const pageSize = sizeParam === null ? 300 : Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize <= 0) return invalid(`Invalid value for page_size: ${sizeParam}`);
    let offset = 0;
    const token = req.query.get("pageToken");
    if (token !== null && token !== "") {
      const at = this.pageTokens.get(token);
      if (!at || at.collection !== collection) return invalid("Invalid page token.");
      offset = at.offset;
    }
    const page = docs.slice(offset, offset + pageSize);
    if (page.length === 0) return ok({});
    const body: { documents: WireDocument[]; nextPageToken?: string } = { documents: page };
    if (offset + pageSize < docs.length) {
      const next = randomBytes(18).toString("base64url");
      // Tokens stay valid for a while; the oldest are forgotten so a long run cannot grow this map.
      if (this.pageTokens.size >= MAX_PAGE_TOKENS) this.pageTokens.delete(this.pageTokens.keys().next().value ?? "");
      this.pageTokens.set(next, { collection, offset: offset + pageSize });
      body.nextPageToken = next;
    }
    return ok(body);
  }

  private runQuery(req: FirestoreRequest): Answer {
    const parsed = runQueryBodySchema.safeParse(req.body);
    if (!parsed.success) return invalid(`Invalid JSON payload: ${parsed.error.issues.map((i) => i.path.join(".") + " " + i.message).join("; ")}`);
    const q = parsed.data.structuredQuery;
    const from = q.from[0];
    // Security rules are not filters: a query that could return other accounts' devices is denied whole.
    if (from?.collectionId !== "devices" || q.from.length > 1) return forbidden();
    if (!pinnedValues(q.where, "accountId").includes(req.account.accountId)) return forbidden();
    let docs: WireDocument[];
    try {
      docs = runStructuredQuery(this.ctx.world.devices.map((d) => this.deviceDoc(d)), q);
    } catch (err) {
      return invalid(err instanceof Error ? err.message : String(err));
    }
    const readTime = iso(this.ctx.world.stampMs);
    const junk = this.ctx.faults.queryJunk();
    if (docs.length === 0) return ok([{ readTime }, ...junk]);
    return ok([...docs.map((d) => ({ document: this.ctx.faults.takeInvalid("device") ? corrupt("device", d) : d, readTime })), ...junk]);
  }
}

/** A document that is valid JSON but breaks the schema a client expects. */
const corrupt = (kind: "user" | "device" | "channel", doc: WireDocument): WireDocument => {
  const fields = { ...doc.fields };
  if (kind === "channel") fields.value = { stringValue: "hot" };
  if (kind === "device") fields.lastSeen = { timestampValue: "yesterday-ish" };
  if (kind === "user") fields.accountId = { booleanValue: true };
  return { ...doc, fields };
};
