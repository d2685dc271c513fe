/**
 * Alarm delivery through Home Assistant, for the alarms module's outbox (which must not import us:
 * main hands it this object). Channels:
 * - `notify.<service>`: a push with Acknowledge / Snooze buttons (`GRILL_STATS_ACK_<id>`, …),
 *   titled in the language of the push's title and message;
 * - `persistent_notification` / `persistent_notification.dismiss`;
 * - `event`: fires `grill_stats_alarm`.
 * Rejects when HA is unreachable (retryable UpstreamError) so the outbox retries.
 */
import { BadRequestError, DEFAULT_SNOOZE_MINUTES, UpstreamError, type AlarmNotificationPayload, type AlarmNotifier, type BusEvents, type Logger } from "../shared";
import { stringTables } from "../shared/localize";

export type { AlarmNotifier };
import { ALARM_EVENT } from "./events";
import { haEventSchema, notificationActionDataSchema, toHaError } from "./messages";

export const ACK_PREFIX = "GRILL_STATS_ACK_";
export const SNOOZE_PREFIX = "GRILL_STATS_SNOOZE_";
/** Minutes the notification's Snooze button snoozes for (its title says so). */
export const NOTIFICATION_SNOOZE_MINUTES = DEFAULT_SNOOZE_MINUTES;

/**
 * The buttons' titles live beside their actions (the alarm texts are the alarms module's), in the
 * language of the push's title and message (`payload.language`); English for one without a table.
 */
const BUTTONS = stringTables(
  { acknowledge: "Acknowledge", snooze: "Snooze {minutes} min" },
  {
    de: { acknowledge: "Bestätigen", snooze: "{minutes} Min. schlummern" },
    fr: { acknowledge: "Acquitter", snooze: "Reporter de {minutes} min" },
    nl: { acknowledge: "Bevestigen", snooze: "{minutes} min sluimeren" },
  },
);

/** Alarm ids contain ":" (and maybe more): every byte outside `[A-Za-z0-9_-]` becomes `.XX` (hex). Reversible. */
export const encodeAlarmId = (alarmId: string): string =>
  [...Buffer.from(alarmId, "utf8")].map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) && b < 128 ? String.fromCharCode(b) : `.${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

export const decodeAlarmId = (encoded: string): string | null => {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i] ?? "";
    if (ch === ".") {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (/[A-Za-z0-9_-]/.test(ch)) bytes.push(ch.charCodeAt(0));
    else return null;
  }
  return bytes.length > 0 ? Buffer.from(bytes).toString("utf8") : null;
};

/** `GRILL_STATS_ACK_<encoded>` → {acknowledge, alarmId}; anything else → null. */
export const parseNotificationAction = (action: string): { action: "acknowledge" | "snooze"; alarmId: string } | null => {
  const kind = action.startsWith(ACK_PREFIX) ? "acknowledge" : action.startsWith(SNOOZE_PREFIX) ? "snooze" : null;
  if (!kind) return null;
  const alarmId = decodeAlarmId(action.slice(kind === "acknowledge" ? ACK_PREFIX.length : SNOOZE_PREFIX.length));
  return alarmId ? { action: kind, alarmId } : null;
};

/**
 * A `mobile_app_notification_action` (`action`) or legacy iOS `ios.notification_action_fired`
 * (`actionName`) event → the bus command, or null when the answer is not ours.
 */
export const toAlarmCommand = (event: unknown): BusEvents["alarm:command"] | null => {
  const data = notificationActionDataSchema.safeParse(haEventSchema.safeParse(event).data?.data ?? {});
  const parsed = parseNotificationAction((data.success ? (data.data.action ?? data.data.actionName) : undefined) ?? "");
  if (!parsed) return null;
  return {
    alarmId: parsed.alarmId,
    probeId: null,
    action: parsed.action,
    ...(parsed.action === "snooze" ? { snoozeMinutes: NOTIFICATION_SNOOZE_MINUTES } : {}),
    source: "notification",
  };
};

/**
 * Home Assistant renders a notify service's title and message as Jinja templates, and an alarm
 * text carries a probe label from the cloud, which is anybody's text: "Rack {#2}" would fail to
 * render (the push is lost) and "{{ … }}" would be evaluated. A zero-width space after the brace
 * breaks every delimiter ({{, {%, {#) and shows the label as typed.
 */
export const notTemplate = (text: string): string => text.replace(/\{(?=[{%#])/g, "{\u200b");

/** `persistent_notification` id of an alarm. */
export const notificationIdOf = (alarmId: string): string => `grill_stats_${alarmId.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;

type Call = (msg: { type: string; [k: string]: unknown }) => Promise<unknown>;

const TRANSIENT = new Set(["not_connected", "connection_lost", "cannot_connect", "timeout"]);

export interface NotifierDeps {
  call: Call;
  isConnected: () => boolean;
  /** Core is still starting: a service not found may only not be loaded yet (retried, not given up). */
  coreStarting?: () => boolean;
  logger: Logger;
  /** Adds probe/device/entity fields to `grill_stats_alarm` event data (never overrides given keys). */
  enrichEvent?: (data: Record<string, unknown>) => Record<string, unknown>;
}

export const createAlarmNotifier = (deps: NotifierDeps): AlarmNotifier => {
  const send = async (msg: { type: string; [k: string]: unknown }, what: string): Promise<void> => {
    if (!deps.isConnected()) throw new UpstreamError("Home Assistant is not connected; the alarm will be sent when it is back", true);
    try {
      await deps.call(msg);
    } catch (err) {
      const e = toHaError(err);
      if (TRANSIENT.has(e.code)) throw new UpstreamError(`Home Assistant went away while sending ${what}`, true, null, { cause: err });
      if (e.code === "not_found" && deps.coreStarting?.()) throw new UpstreamError(`${what} is not loaded yet (Home Assistant is starting)`, true, null, { cause: err });
      if (e.code === "not_found") throw new UpstreamError(`${what} does not exist in Home Assistant (check notify_targets)`, false, 404, { cause: err });
      throw new UpstreamError(`Home Assistant refused ${what}: ${e.message}`, false, null, { cause: err });
    }
  };
  const notificationId = (p: AlarmNotificationPayload): string => (typeof p.data?.notification_id === "string" ? p.data.notification_id : notificationIdOf(p.alarmId));

  return {
    isConnected: deps.isConnected,
    deliver: async (channel, p) => {
      if (channel === "event") {
        const given = p.data ?? { alarm_id: p.alarmId, message: p.message };
        // What the alarm left open (a probe alarm's device_key) the enrichment fills in; it never overrides a fact.
        const known = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null && v !== undefined));
        const data = { ...given, ...(deps.enrichEvent?.(given) ?? {}), title: p.title, ...known };
        return send({ type: "fire_event", event_type: ALARM_EVENT, event_data: data }, `event ${ALARM_EVENT}`);
      }
      if (channel === "persistent_notification" || channel === "persistent_notification.create") {
        return send({ type: "call_service", domain: "persistent_notification", service: "create", service_data: { notification_id: notificationId(p), title: notTemplate(p.title), message: notTemplate(p.message) } }, "persistent_notification.create");
      }
      if (channel === "persistent_notification.dismiss") {
        return send({ type: "call_service", domain: "persistent_notification", service: "dismiss", service_data: { notification_id: notificationId(p) } }, "persistent_notification.dismiss");
      }
      const service = /^notify\.([a-z0-9_]+)$/.exec(channel)?.[1];
      if (!service) throw new BadRequestError(`unknown alarm channel "${channel}" (expected notify.<service>, persistent_notification[.dismiss] or event)`);
      // `tag` makes a repeat replace the previous push on the phone; the caller's data wins.
      const data: Record<string, unknown> = { tag: notificationIdOf(p.alarmId), group: "grill_stats", ...(p.data ?? {}) };
      if (p.actions === true) {
        const id = encodeAlarmId(p.alarmId);
        const title = BUTTONS.localize(p.language ?? "en");
        data.actions = [
          { action: `${ACK_PREFIX}${id}`, title: title("acknowledge") },
          { action: `${SNOOZE_PREFIX}${id}`, title: title("snooze", { minutes: NOTIFICATION_SNOOZE_MINUTES }) },
        ];
      }
      return send({ type: "call_service", domain: "notify", service, service_data: { title: notTemplate(p.title), message: notTemplate(p.message), data } }, `notify.${service}`);
    },
  };
};
