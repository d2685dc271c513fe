export type { AlarmNotificationPayload, AlarmNotifier } from "../shared";

/** The event type fired on the `event` channel. */
export const ALARM_EVENT_TYPE = "grill_stats_alarm";
