import { probeNaming, type ProbeAutoName, type ProbeRole, type ProbeState, type Store } from "../../shared";

export interface ProbeInfo {
  id: string;
  /** Display name (cloud label: untrusted text). */
  name: string;
  /** Without a label: the device and channel it is named after (the panel says it in its language). */
  autoName: ProbeAutoName | null;
  role: ProbeRole;
}

/** Name and role of every probe we know, live state first, then what the store remembers. */
export const collectProbeInfo = (store: Store, states: ProbeState[]): Map<string, ProbeInfo> => {
  const out = new Map<string, ProbeInfo>();
  const deviceLabels = new Map(store.listDevices().map((d) => [d.key, d.label]));
  for (const p of store.listProbes()) {
    out.set(p.id, { id: p.id, ...probeNaming(p.label, deviceLabels.get(p.deviceKey)?.trim() || p.deviceSerial, p.channel), role: p.role });
  }
  for (const s of states) out.set(s.id, { id: s.id, name: s.name, autoName: s.autoName, role: s.role });
  return out;
};

export const infoFor = (info: Map<string, ProbeInfo>, id: string): ProbeInfo => info.get(id) ?? { id, name: id, autoName: null, role: "meat" };
