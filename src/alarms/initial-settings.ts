import type { Probe, ProbeSettings } from "../shared";

/**
 * Settings for a probe seen for the first time: whatever was set on that channel in the
 * ThermoWorks app, so a cook set up there carries over (on a meat probe the app's high alarm is
 * the done temperature; on the pit, high and low bound the cooker). Null when the app had none.
 */
export const initialProbeSettings = (probe: Probe): ProbeSettings | null => {
  const high = probe.cloudAlarmHighC ?? null;
  const low = probe.cloudAlarmLowC ?? null;
  if (probe.role === "meat" && high !== null) return { probeId: probe.id, targetC: high, highC: null, lowC: null };
  if (probe.role === "pit" && (high !== null || low !== null)) {
    const valid = high === null || low === null || low < high;
    return valid ? { probeId: probe.id, targetC: null, highC: high, lowC: low } : { probeId: probe.id, targetC: null, highC: high, lowC: null };
  }
  return null;
};
