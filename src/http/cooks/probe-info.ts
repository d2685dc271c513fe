import type { ProbeRole, ProbeState, Store } from "../../shared";

export interface ProbeInfo {
  id: string;
  /** Display name (cloud label: untrusted text). */
  name: string;
  role: ProbeRole;
}

/** Name and role of every probe we know, live state first, then what the store remembers. */
export const collectProbeInfo = (store: Store, states: ProbeState[]): Map<string, ProbeInfo> => {
  const out = new Map<string, ProbeInfo>();
  const deviceLabels = new Map(store.listDevices().map((d) => [d.key, d.label]));
  for (const p of store.listProbes()) {
    const device = deviceLabels.get(p.deviceKey) ?? p.deviceSerial;
    out.set(p.id, { id: p.id, name: p.label.trim() || `${device} probe ${p.channel}`, role: p.role });
  }
  for (const s of states) out.set(s.id, { id: s.id, name: s.name, role: s.role });
  return out;
};

export const infoFor = (info: Map<string, ProbeInfo>, id: string): ProbeInfo => info.get(id) ?? { id, name: id, role: "meat" };
