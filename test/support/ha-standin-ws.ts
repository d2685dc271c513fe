/**
 * One WebSocket client of the Home Assistant stand-in: the auth phase, `supported_features`
 * (coalesced array frames), and the command set a real Core answers (frames as recorded in the
 * transcript). Unknown commands get `unknown_command`, like Core.
 */
import type { WebSocket } from "ws";
import { HaCommandError, type StandInCore } from "./ha-standin-core";

export interface ReceivedFrame {
  connId: number;
  tsMs: number;
  msg: Record<string, unknown>;
}

type Msg = Record<string, unknown>;

/**
 * Commands Core answers `unauthorized` for a user who is not an administrator: collection
 * create/update/delete (`require_admin` in helpers/collection.py, lovelace/resources.py) and
 * `fire_event` (websocket_api/commands.py).
 */
const ADMIN_ONLY = /^(fire_event|input_(number|button)\/(create|update|delete)|lovelace\/resources\/(create|update|delete))$/;
/** Event types a non-admin may subscribe to (`SUBSCRIBE_ALLOWLIST`, auth/permissions/events.py; the ones that matter here). */
const NON_ADMIN_EVENTS = new Set(["state_changed", "core_config_updated", "component_loaded", "service_registered", "service_removed"]);

export class StandInWsClient {
  authed = false;
  admin = true;
  /** A half-open socket: frames are read but nothing is answered. */
  frozen = false;
  private coalesce = false;
  private outbox: unknown[] = [];
  private flushScheduled = false;

  constructor(
    readonly connId: number,
    private readonly ws: WebSocket,
    private readonly core: StandInCore,
    private readonly opts: {
      isTokenValid: (token: string) => boolean;
      isAdminToken: (token: string) => boolean;
      isSupported: (type: string) => boolean;
      record: (frame: ReceivedFrame) => void;
    },
  ) {
    ws.on("message", (data) => this.onMessage(data.toString()));
    ws.on("close", () => this.core.machine.dropSubscriptions(this.subPrefix));
    this.sendNow({ type: "auth_required", ha_version: core.haVersion });
  }

  private get subPrefix(): string {
    return `${this.connId}:`;
  }

  private sendNow(msg: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** Queue a frame; frames queued in the same tick go out as one JSON array once coalescing is on. */
  send(msg: unknown): void {
    if (!this.coalesce) return this.sendNow(msg);
    this.outbox.push(msg);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.outbox;
      this.outbox = [];
      if (batch.length > 0) this.sendNow(batch.length === 1 ? batch[0] : batch);
    });
  }

  private onMessage(text: string): void {
    if (this.frozen) return; // a half-open socket: nothing comes back
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      // Core closes the connection on a frame that is not JSON.
      this.ws.close(1003, "invalid JSON");
      return;
    }
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
      this.ws.close(1003, "invalid message");
      return;
    }
    this.opts.record({ connId: this.connId, tsMs: Date.now(), msg: msg as Msg });
    if (!this.authed) return this.onAuth(msg as Msg);
    this.onCommand(msg as Msg);
  }

  private onAuth(msg: Msg): void {
    if (msg.type !== "auth" || (typeof msg.access_token !== "string" && typeof msg.api_password !== "string")) {
      this.sendNow({ type: "auth_invalid", message: "Auth message incorrectly formatted: required key not provided @ data['access_token']" });
      this.ws.close();
      return;
    }
    const token = typeof msg.access_token === "string" ? msg.access_token : String(msg.api_password);
    if (!this.opts.isTokenValid(token)) {
      this.sendNow({ type: "auth_invalid", message: "Invalid access token or password" });
      this.ws.close();
      return;
    }
    this.authed = true;
    this.admin = this.opts.isAdminToken(token);
    this.sendNow({ type: "auth_ok", ha_version: this.core.haVersion });
  }

  private result(id: number, result: unknown): void {
    this.send({ id, type: "result", success: true, result });
  }

  private error(id: number, code: string, message: string): void {
    this.send({ id, type: "result", success: false, error: { code, message } });
  }

  private onCommand(msg: Msg): void {
    const id = msg.id;
    if (typeof id !== "number" || !Number.isInteger(id) || typeof msg.type !== "string") {
      this.error(typeof id === "number" ? id : 0, "invalid_format", "Message incorrectly formatted.");
      return;
    }
    try {
      if (!this.opts.isSupported(msg.type)) throw new HaCommandError("unknown_command", "Unknown command.");
      const refused = ADMIN_ONLY.test(msg.type) || (msg.type === "subscribe_events" && !NON_ADMIN_EVENTS.has(String(msg.event_type)));
      if (!this.admin && refused) throw new HaCommandError("unauthorized", "Unauthorized");
      this.dispatch(id, msg.type, msg);
    } catch (err) {
      if (err instanceof HaCommandError) this.error(id, err.code, err.message);
      else this.error(id, "unknown_error", err instanceof Error ? err.message : String(err));
    }
  }

  private dispatch(id: number, type: string, msg: Msg): void {
    const core = this.core;
    const obj = (v: unknown): Msg => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Msg) : {});
    switch (type) {
      case "supported_features":
        this.coalesce = obj(msg.features).coalesce_messages === 1;
        return this.result(id, null);
      case "ping":
        return this.send({ id, type: "pong" });
      case "get_config":
        return this.result(id, core.config());
      case "auth/current_user":
        // auth/__init__.py websocket_current_user (credentials and mfa_modules left empty).
        return this.result(id, { id: this.admin ? "owner-id" : "user-id", name: this.admin ? "Owner" : "Kitchen", is_owner: this.admin, is_admin: this.admin, credentials: [], mfa_modules: [] });
      case "get_states":
        return this.result(id, core.machine.all());
      case "subscribe_entities": {
        const ids = Array.isArray(msg.entity_ids) ? msg.entity_ids.filter((x): x is string => typeof x === "string") : null;
        const first = core.machine.subscribeEntities(`${this.subPrefix}${id}`, ids, (event) => this.send({ id, type: "event", event }));
        this.result(id, null);
        return this.send({ id, type: "event", event: first });
      }
      case "subscribe_events": {
        const eventType = typeof msg.event_type === "string" ? msg.event_type : null;
        core.machine.subscribeEvents(`${this.subPrefix}${id}`, eventType, (event) => this.send({ id, type: "event", event }));
        return this.result(id, null);
      }
      case "unsubscribe_events":
        if (!core.machine.unsubscribe(`${this.subPrefix}${String(msg.subscription)}`)) throw new HaCommandError("not_found", "Subscription not found.");
        return this.result(id, null);
      case "fire_event": {
        if (typeof msg.event_type !== "string") throw new HaCommandError("invalid_format", "required key not provided @ data['event_type']");
        const context = core.fireEvent(msg.event_type, obj(msg.event_data), "ws");
        return this.result(id, { context });
      }
      case "call_service": {
        if (typeof msg.domain !== "string" || typeof msg.service !== "string") throw new HaCommandError("invalid_format", "required key not provided @ data['domain']");
        const target = msg.target === undefined ? null : obj(msg.target);
        const context = core.callService(msg.domain, msg.service, obj(msg.service_data), target);
        return this.result(id, { context });
      }
      case "input_number/list":
        return this.result(id, [...core.inputNumbers.values()]);
      case "input_number/create":
        return this.result(id, core.createInputNumber(msg));
      case "input_number/update": {
        const { id: _i, type: _t, input_number_id, ...patch } = msg;
        return this.result(id, core.updateInputNumber(String(input_number_id), patch));
      }
      case "input_number/delete":
        core.deleteItem("input_number", String(msg.input_number_id));
        return this.result(id, null);
      case "input_button/list":
        return this.result(id, [...core.inputButtons.values()]);
      case "input_button/create":
        return this.result(id, core.createInputButton(msg));
      case "input_button/update": {
        const { id: _i, type: _t, input_button_id, ...patch } = msg;
        return this.result(id, core.updateInputButton(String(input_button_id), patch));
      }
      case "input_button/delete":
        core.deleteItem("input_button", String(msg.input_button_id));
        return this.result(id, null);
      case "config/entity_registry/list":
        return this.result(id, core.entityRegistry());
      case "lovelace/resources":
        return this.result(id, core.listResources());
      case "lovelace/resources/list":
        // Storage mode's collection list (ResourceStorageCollectionWebsocket); `lovelace/resources` is its old alias.
        if (core.lovelaceMode === "yaml") throw new HaCommandError("unknown_command", "Unknown command.");
        return this.result(id, core.listResources());
      case "lovelace/resources/create":
        return this.result(id, core.createResource(msg));
      case "lovelace/resources/update":
        return this.result(id, core.updateResource(msg));
      case "lovelace/resources/delete":
        core.deleteResource(msg);
        return this.result(id, null);
      default:
        throw new HaCommandError("unknown_command", "Unknown command.");
    }
  }

  close(): void {
    this.ws.terminate();
  }
}
