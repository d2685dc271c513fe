/** The device strip: one entry per thermometer with battery, signal and an offline marker. */
import { html, nothing, type TemplateResult } from "lit";
import { formatNumber, type FormatContext } from "./format";
import { batteryIcon, signalBars, signalIcon } from "./icons";
import type { Localize } from "./localize";
import type { DeviceView, ProbeView } from "./probe-view";

const LOW_BATTERY_PCT = 15;

/** Devices of the shown probes, once each, in probe order. */
export const uniqueDevices = (probes: readonly ProbeView[]): DeviceView[] => {
  const seen = new Map<string, DeviceView>();
  for (const p of probes) if (!seen.has(p.device.key)) seen.set(p.device.key, p.device);
  return [...seen.values()];
};

export const renderDevices = (probes: readonly ProbeView[], fmt: FormatContext, l: Localize): TemplateResult => {
  const devices = uniqueDevices(probes).filter((d) => d.batteryPct !== null || d.signalDbm !== null || d.online !== null);
  return html`<div class="devices">
    ${devices.map((d) => {
      const pct = d.batteryPct === null ? null : `${formatNumber(fmt, d.batteryPct, 0)}\u00a0%`;
      const dbm = d.signalDbm === null ? null : `${formatNumber(fmt, d.signalDbm, 0)}\u00a0dBm`;
      // The icons say nothing to a screen reader: each reading is an image named in words.
      const battery = l("device.battery", { value: pct ?? "" });
      const signal = l("device.signal", { value: dbm ?? "" });
      return html`<span class="device ${d.online === false ? "offline" : ""}" data-device=${d.key}>
        <span>${d.name}</span>
        ${d.online === false ? html`<span class="badge critical" data-testid="offline">${l("device.offline")}</span>` : nothing}
        ${pct ? html`<span class="meta ${(d.batteryPct ?? 100) <= LOW_BATTERY_PCT ? "low" : ""}" role="img" aria-label=${battery} title=${battery}>${batteryIcon(d.batteryPct)}${pct}</span>` : nothing}
        ${dbm ? html`<span class="meta" role="img" aria-label=${signal} title=${signal}>${signalIcon(signalBars(d.signalDbm))}</span>` : nothing}
      </span>`;
    })}
  </div>`;
};
