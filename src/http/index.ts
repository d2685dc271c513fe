export { createApp, JSON_BODY_LIMIT } from "./app";
export { LOOPBACK_HOSTS } from "./guard";
export type { AlarmApi, Health, HttpDeps } from "./types";
export { cookCsvChunks, CSV_HEADER } from "./cooks/export";
