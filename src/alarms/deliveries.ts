import { CLEAR_NOTIFICATION, round1, toUnit, unitSymbol, type AlarmPhase, type AlarmState, type AlarmTransition, type TemperatureUnit } from "../shared";
import type { AlarmNotificationPayload } from "./notifier";

/** One outbox item to enqueue. */
export interface PlannedDelivery {
  key: string;
  channel: string;
  payload: AlarmNotificationPayload;
}

export interface DeliveryContext {
  /** Notify services from the `notify_targets` option ("notify.mobile_app_x" or "mobile_app_x"). */
  notifyTargets: readonly string[];
  /** Inside quiet hours now. */
  quiet: boolean;
  title: string;
  unit: TemperatureUnit;
  fromPhase: AlarmPhase;
  /** What happened, in words (for acknowledged/cleared it differs from the alarm's standing message). */
  message: string;
  /** The table language title and message are in ("en", "de"): pushes carry it for their buttons. */
  language: string;
  /** Critical alarms ring as the phone's critical alerts (the `critical_alerts` option). */
  criticalAlerts?: boolean;
}

/** "mobile_app_phone" → "notify.mobile_app_phone". */
export const toNotifyChannel = (target: string): string => (target.startsWith("notify.") ? target : `notify.${target}`);

/** The persistent notification id of an alarm: one per alarm, so a repeat replaces it. */
export const notificationId = (alarmId: string): string => `grill_stats_${alarmId.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;

/**
 * Idempotency key: the same transition of the same episode is never enqueued twice. A snooze made
 * longer before it ran out is a transition of its own (its end names it).
 */
export const deliveryKey = (alarm: AlarmState, transition: AlarmTransition, channel: string): string =>
  `${alarm.id}:${alarm.sinceMs}:${transition}:${alarm.repeatCount}${transition === "snoozed" ? `:${alarm.snoozedUntilMs ?? ""}` : ""}:${channel}`;

/** Pre-alarms, stale data and low batteries are muted in quiet hours; the rest always goes out. */
export const isMutable = (alarm: AlarmState, transition: AlarmTransition): boolean => !alarm.critical || transition === "pre_alarm";

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const inUnit = (c: number | null, unit: TemperatureUnit): number | null => (c === null ? null : round1(toUnit(c, unit)));

/** `grill_stats_alarm` event data (snake_case: it is Home Assistant's side). */
export const toEventData = (alarm: AlarmState, transition: AlarmTransition, ctx: Pick<DeliveryContext, "quiet" | "unit" | "message">): Record<string, unknown> => ({
  alarm_id: alarm.id,
  kind: alarm.kind,
  phase: alarm.phase,
  transition,
  probe_id: alarm.probeId,
  device_key: alarm.deviceKey,
  message: ctx.message,
  // A heads-up is not critical even on a critical alarm: quiet hours hold its push back.
  critical: alarm.critical && transition !== "pre_alarm",
  value: inUnit(alarm.valueC, ctx.unit),
  threshold: inUnit(alarm.thresholdC, ctx.unit),
  unit: unitSymbol(ctx.unit),
  value_c: alarm.valueC,
  threshold_c: alarm.thresholdC,
  repeat_count: alarm.repeatCount,
  since: isoOrNull(alarm.sinceMs),
  snoozed_until: isoOrNull(alarm.snoozedUntilMs),
  muted: ctx.quiet && isMutable(alarm, transition),
});

/**
 * Companion-app extras: repeats replace the previous push (tag); critical ones break through:
 * delivered at once (Android `priority` and `ttl`) and through a Focus that allows time-sensitive
 * ones (iOS). With `critical_alerts` they ring as a critical alert (iOS: through the mute switch
 * and Do Not Disturb, once the app may send them) and on the alarm stream (Android: at the alarm's
 * volume).
 */
const pushData = (channel: string, alarm: AlarmState, transition: AlarmTransition, criticalAlerts: boolean): Record<string, unknown> | undefined => {
  if (!channel.startsWith("notify.mobile_app_")) return undefined;
  const data: Record<string, unknown> = { tag: notificationId(alarm.id), group: "grill_stats" };
  if (alarm.critical && transition !== "pre_alarm") {
    Object.assign(
      data,
      { priority: "high", ttl: 0 },
      criticalAlerts
        ? { channel: "alarm_stream", push: { "interruption-level": "critical", sound: { name: "default", critical: 1, volume: 1 } } }
        : { push: { "interruption-level": "time-sensitive" } },
    );
  }
  return data;
};

/**
 * Home Assistant renders a persistent notification's message as Markdown, and a probe or device
 * label from the cloud is anybody's text: backslash-escape what Markdown would read as a link (also
 * GFM's bare "https://…", "www.…" and "me@…" ones), an image, emphasis, a heading or HTML, so the
 * label shows as typed and nothing in it is followed.
 */
export const markdownText = (text: string): string => text.replace(/[\\`*_{}[\]()<>#+!|~&:.@-]/g, "\\$&");

/**
 * A push's message, for the notify service that shows it. The companion app shows plain text, as
 * typed. `notify.persistent_notification` makes a persistent notification: Markdown, escaped as
 * ours is. Any other service may read Markdown or HTML (Telegram's default parse mode reads
 * "[text](url)") and would show backslashes as they are, so a zero-width space, which nobody sees,
 * breaks only what could link, load an image or open a tag: "](" and "<" before a tag's first letter.
 */
export const pushText = (channel: string, text: string): string => {
  if (channel.startsWith("notify.mobile_app_")) return text;
  if (channel === "notify.persistent_notification") return markdownText(text);
  return text.replace(/\](?=\()/g, "]\u200b").replace(/<(?=[A-Za-z/!?])/g, "<\u200b");
};

/**
 * What one transition sends, in order. raised / pre_alarm / repeated → every notify target
 * (actionable), a persistent notification and the event; acknowledged / cleared → dismiss the
 * persistent notification and the event; snoozed → the event (a snoozed heads-up is dismissed as
 * well). Quiet hours drop the pushes of mutable alarms; their persistent notification and event
 * (marked muted) still go out.
 */
export const planDeliveries = (alarm: AlarmState, transition: AlarmTransition, ctx: DeliveryContext): PlannedDelivery[] => {
  const base = { title: ctx.title, message: ctx.message, alarmId: alarm.id };
  const plan: Array<{ channel: string; payload: AlarmNotificationPayload }> = [];
  const muted = ctx.quiet && isMutable(alarm, transition);
  if (transition === "raised" || transition === "pre_alarm" || transition === "repeated") {
    if (!muted) {
      for (const target of ctx.notifyTargets) {
        const channel = toNotifyChannel(target);
        const data = pushData(channel, alarm, transition, ctx.criticalAlerts ?? false);
        plan.push({ channel, payload: { ...base, message: pushText(channel, base.message), actions: transition !== "pre_alarm", language: ctx.language, ...(data ? { data } : {}) } });
      }
    }
    // Silent, so also in quiet hours: what happened at night is in Home Assistant's list by morning.
    plan.push({ channel: "persistent_notification", payload: { ...base, message: markdownText(base.message), data: { notification_id: notificationId(alarm.id) } } });
  } else if (transition === "acknowledged" || transition === "cleared" || (transition === "snoozed" && ctx.fromPhase === "pre_alarm")) {
    // A snoozed heads-up is armed again (it comes back as a new one after the snooze if the meat is
    // still on its way): left standing, a stall would leave "done in about 14 min" behind for good.
    // Coming from acknowledged, the notification was dismissed already.
    if (ctx.fromPhase !== "acknowledged") {
      // The phone's push goes too (the companion app's clear_notification, by the push's tag), so
      // an alarm put away on one phone or in the panel no longer waits on the others. Only the
      // companion app knows the command: another notify service would send it as text.
      for (const target of ctx.notifyTargets) {
        const channel = toNotifyChannel(target);
        if (channel.startsWith("notify.mobile_app_")) plan.push({ channel, payload: { ...base, message: CLEAR_NOTIFICATION, data: { tag: notificationId(alarm.id) } } });
      }
      plan.push({ channel: "persistent_notification.dismiss", payload: { ...base, data: { notification_id: notificationId(alarm.id) } } });
    }
  }
  plan.push({ channel: "event", payload: { ...base, data: toEventData(alarm, transition, ctx) } });
  return plan.map((p) => ({ ...p, key: deliveryKey(alarm, transition, p.channel) }));
};
