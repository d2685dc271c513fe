export { predictDone, DEFAULT_PREDICT_PARAMS, type PredictInput, type Prediction, type PredictParams } from "./predict";
export { createStallDetector, DEFAULT_STALL_OPTIONS, type StallDetector, type StallOptions } from "./stall";
export { createProbeTracker, type ProbeTracker, type TrackerEvent, type TrackerOptions } from "./probe-tracker";
export { createLidDetector, type LidDetector, type LidOptions } from "./lid";
export { createAnalyticsEngine, type AnalyticsEngine, type EngineInput, type EngineOutput, type EngineOptions } from "./engine";
export type { ProbeEventOut } from "./events";
export { SampleBuffer, type Sample, type Series } from "./samples";
export { createCookSessionDetector, cookName, COOK_RULES, type CookAction, type CookSessionDetector } from "./cook-sessions";
export { createAnalyticsService, type AnalyticsService, type AnalyticsServiceDeps } from "./service";
