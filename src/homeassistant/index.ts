/**
 * Home Assistant edge: entities (REST states), settings helpers, automation events, the card
 * resource and alarm notifications, over one WebSocket + REST through the Supervisor proxy or a
 * long-lived token. Only main.ts imports this.
 */
export { createHomeAssistantBridge } from "./bridge";
export type { BridgeDeps, HaStatus } from "./types";
export type { AlarmNotifier } from "./notifier";
export { createAlarmNotifier, encodeAlarmId, decodeAlarmId, parseNotificationAction, notificationIdOf } from "./notifier";
export { entityId, steadyDoneMs, toProbeEntities, toDeviceEntities, toStatusEntity, isDeviceOnline, offlineAfterMs, type EntityKind, type EntityPost } from "./entities";
export { PROBE_EVENT, ALARM_EVENT, toProbeEventData, toAlarmEventData } from "./events";
export { CARD_URL_PATH, BLUEPRINT_HEADER } from "./lovelace";
