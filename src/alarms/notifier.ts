/**
 * The port through which alarms reach Home Assistant. The HA bridge implements it; the alarm
 * service never imports `src/homeassistant`.
 *
 * Channels and what the bridge does with the payload:
 * - `notify.<service>`: call that notify service with `title` and `message`. `actions: true` asks
 *   for actionable buttons "Acknowledge" and "Snooze 10 min" whose answers the bridge turns into
 *   bus `alarm:command` {alarmId, action}. `data` (tag, group, priority …) goes into the
 *   service's `data` field as is.
 * - `persistent_notification`: `persistent_notification.create` with `title`, `message` and
 *   `notification_id = data.notification_id` (one per alarm, so a repeat replaces it).
 * - `persistent_notification.dismiss`: `persistent_notification.dismiss` with
 *   `notification_id = data.notification_id`.
 * - `event`: fire `grill_stats_alarm` with `event_data = data`.
 */
export interface AlarmNotificationPayload {
  title: string;
  message: string;
  alarmId: string;
  actions?: boolean;
  data?: Record<string, unknown>;
}

export interface AlarmNotifier {
  /**
   * Sends one notification. Rejects when Home Assistant is unreachable, and when it answers
   * with an error (e.g. `{code: "not_found"}` for an unknown notify service). Reject with an
   * `UpstreamError` whose `retryable` says which of the two it was, or with HA's `{code, message}`
   * error object; while `isConnected()` is false every failure counts as "unreachable".
   */
  deliver(channel: string, payload: AlarmNotificationPayload): Promise<void>;
  isConnected(): boolean;
}

/** The event type fired on the `event` channel. */
export const ALARM_EVENT_TYPE = "grill_stats_alarm";
