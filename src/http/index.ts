export { createApp, JSON_BODY_LIMIT } from "./app";
export type { AlarmApi, Health, HttpDeps } from "./types";
export { toCookCsv, CSV_HEADER } from "./cooks/export";
