import { svg, type SVGTemplateResult } from "lit";

/** Battery outline filled to `pct` (0–100); the fill uses currentColor. */
export const batteryIcon = (pct: number | null): SVGTemplateResult => {
  const w = pct === null ? 0 : Math.max(1, Math.min(100, pct)) * 0.14;
  return svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
    <rect x="2.5" y="7" width="17" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/>
    <rect x="20" y="10" width="2" height="4" rx="0.8" fill="currentColor"/>
    <rect x="4" y="8.5" width="${w}" height="7" rx="1" fill="currentColor"/>
  </svg>`;
};

/** Four signal bars, `bars` (0–4) of them filled. */
export const signalIcon = (bars: number): SVGTemplateResult => svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
  ${[0, 1, 2, 3].map(
    (i) => svg`<rect x="${3 + i * 5}" y="${17 - i * 4}" width="3.4" height="${4 + i * 4}" rx="0.8"
      fill="currentColor" opacity="${i < bars ? 1 : 0.25}"/>`,
  )}
</svg>`;

/** Bars for a Wi-Fi/RF RSSI in dBm (−55 and better = 4 … worse than −85 = 0). */
export const signalBars = (dbm: number | null): number => {
  if (dbm === null) return 0;
  if (dbm >= -55) return 4;
  if (dbm >= -67) return 3;
  if (dbm >= -75) return 2;
  if (dbm >= -85) return 1;
  return 0;
};

export const bellIcon = svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor"
  d="M12 22a2.2 2.2 0 0 0 2.2-2.2H9.8A2.2 2.2 0 0 0 12 22Zm7-5.5-1.8-1.8V10a5.2 5.2 0 0 0-4-5.1V4a1.2 1.2 0 0 0-2.4 0v.9a5.2 5.2 0 0 0-4 5.1v4.7L5 16.5v1.2h14Z"/></svg>`;

export const pauseIcon = svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor"
  d="M7 5h3.5v14H7zm6.5 0H17v14h-3.5z"/></svg>`;
