/**
 * Alarms that cannot be missed: per-probe and per-device rules, one pure state machine per
 * alarm, a durable outbox delivered to Home Assistant through an injected notifier.
 */
export { createAlarmService, type AlarmService, type AlarmServiceDeps } from "./service";
export { evaluateAlarm, newRuntime, isCriticalKind, CONFIRM_MS, CONFIRM_READINGS } from "./machine";
export { computeLevel } from "./levels";
export { planDeliveries, notificationId, toNotifyChannel, type PlannedDelivery } from "./deliveries";
export { isQuietTime, type QuietHours } from "./quiet-hours";
export { alarmLanguage, alarmTitle, describeAlarm, describeTransition, formatTemp, type AlarmFacts, type FormatContext } from "./messages";
export { ALARM_EVENT_TYPE, type AlarmNotifier, type AlarmNotificationPayload } from "./notifier";
export type { AlarmApi, AlarmInput, AlarmRuntime, AlarmSample, EffectiveRule, TransitionEvent } from "./types";
export { initialProbeSettings } from "./initial-settings";
