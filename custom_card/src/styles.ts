import { css } from "lit";

/**
 * Card styles on Home Assistant theme variables with our overridable `--grill-stats-*` layer.
 * No literal colours except as last-resort fallbacks inside var().
 */
export const cardStyles = css`
  :host {
    --grill-stats-temp-size: 2.75rem;
    --grill-stats-critical-color: var(--error-color, #db4437);
    --grill-stats-warning-color: var(--warning-color, #ffa600);
    --grill-stats-ok-color: var(--success-color, #43a047);
    --grill-stats-info-color: var(--info-color, var(--primary-color, #039be5));
    /* Status colours as text: mixed toward the text colour, readable (4.5:1) on light and dark cards. */
    --grill-stats-critical-text-color: color-mix(in srgb, var(--grill-stats-critical-color) 60%, var(--primary-text-color, #212121));
    --grill-stats-accent-text-color: color-mix(in srgb, var(--primary-color, #03a9f4) 60%, var(--primary-text-color, #212121));
    --grill-stats-tile-background: color-mix(in srgb, var(--primary-text-color, #212121) 5%, transparent);
    /* Secondary text on the tinted tile: HA's secondary colour is 4.4:1 there in the light theme; a little toward the text colour reads 4.5:1+. */
    --grill-stats-tile-secondary-text-color: color-mix(in srgb, var(--secondary-text-color, #727272) 80%, var(--primary-text-color, #212121));
    /* Filled buttons under white text (--text-primary-color): HA's primary and error colours are 2.6 and 4.3:1 with it; darkened, 5:1+. */
    --grill-stats-accent-fill: color-mix(in srgb, var(--primary-color, #03a9f4) 65%, black);
    --grill-stats-critical-fill: color-mix(in srgb, var(--grill-stats-critical-color) 85%, black);
    --grill-stats-tile-radius: 12px;
    display: block;
  }
  ha-card { padding: 12px 12px 8px; overflow: hidden; color: var(--primary-text-color); }
  .header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin: 0 4px 8px; }
  .title { font-size: 1.15rem; font-weight: 500; flex: 1 1 auto; }
  .devices { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--secondary-text-color); font-size: 0.85rem; }
  .device { display: inline-flex; align-items: center; gap: 6px; }
  .device .meta { display: inline-flex; align-items: center; gap: 2px; }
  .device.offline { color: var(--grill-stats-critical-text-color); font-weight: 500; }
  .device .low { color: var(--grill-stats-critical-text-color); }
  .icon { width: 18px; height: 18px; vertical-align: middle; flex: none; }
  /* min(): one tile a row on a card narrower than a tile (a phone at 200 % zoom), never wider than the card. */
  .probes { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(190px, 100%), 1fr)); gap: 8px; }
  .probe {
    position: relative; background: var(--grill-stats-tile-background); border-radius: var(--grill-stats-tile-radius);
    padding: 10px 12px 10px 14px; min-width: 0; border: 2px solid transparent;
  }
  .probe::before {
    content: ""; position: absolute; left: 0; top: 10px; bottom: 10px; width: 4px; border-radius: 0 4px 4px 0;
    background: var(--probe-color);
  }
  .probe.level-critical { border-color: var(--grill-stats-critical-color); }
  .probe.level-warning { border-color: var(--grill-stats-warning-color); }
  .probe.urgent { animation: pulse 1.2s ease-in-out infinite; }
  @keyframes pulse { 50% { border-color: transparent; } }
  @media (prefers-reduced-motion: reduce) { .probe.urgent { animation: none; } }
  .top { display: flex; align-items: center; flex-wrap: wrap; gap: 4px 6px; min-height: 22px; }
  /* A long name wraps to a second line (no hover on a phone to read a tooltip), cut only after that. */
  .name {
    font-weight: 500; font-size: 1rem; flex: 0 1 auto; min-width: 0; margin-right: auto; overflow-wrap: anywhere;
    display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden;
  }
  .temp-row { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
  .temp {
    font-size: var(--grill-stats-temp-size); font-weight: 600; line-height: 1.1; letter-spacing: -0.02em;
    font-variant-numeric: tabular-nums; color: var(--primary-text-color);
  }
  /* A tile narrower than its temperature (200 % zoom on a phone): the number shrinks with the tile, never past it. */
  @supports (container-type: inline-size) {
    .probes { container: probes / inline-size; }
    .probe { container-type: inline-size; }
    .temp { font-size: min(var(--grill-stats-temp-size), 27cqi); }
  }
  .temp .unit { font-size: 0.45em; font-weight: 500; margin-left: 2px; color: var(--grill-stats-tile-secondary-text-color); letter-spacing: 0; }
  .temp.off { color: var(--disabled-text-color, var(--secondary-text-color)); }
  .rate { font-size: 0.85rem; color: var(--grill-stats-tile-secondary-text-color); font-variant-numeric: tabular-nums; }
  .settings { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .chip {
    display: inline-flex; align-items: baseline; gap: 4px; font: inherit; font-size: 0.85rem; padding: 3px 8px; border-radius: 14px;
    border: 1px solid var(--divider-color); background: none; color: var(--primary-text-color); cursor: pointer; min-height: 28px;
  }
  .chip:disabled { cursor: default; opacity: 0.7; }
  .chip .k { color: var(--grill-stats-tile-secondary-text-color); }
  .chip .v { font-weight: 600; font-variant-numeric: tabular-nums; }
  .chip.unset .v { font-weight: 400; color: var(--grill-stats-tile-secondary-text-color); }
  .chip:focus-visible, button:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 1px; }
  .edit { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; font-size: 0.85rem; max-width: 100%; }
  .edit input {
    width: 5.5em; font: inherit; padding: 3px 6px; border-radius: 8px; border: 1px solid var(--primary-color);
    background: var(--card-background-color, var(--ha-card-background)); color: var(--primary-text-color);
  }
  /* Closed it says "Preset…"; open, each done temperature in full. */
  .edit select.presets {
    width: 7em; font: inherit; padding: 3px 4px; border-radius: 8px; border: 1px solid var(--divider-color);
    background: var(--card-background-color, var(--ha-card-background)); color: var(--primary-text-color);
  }
  .error { color: var(--grill-stats-critical-text-color); font-size: 0.8rem; margin-top: 4px; }
  .eta { margin-top: 6px; font-size: 0.9rem; color: var(--primary-text-color); }
  .eta.unknown { color: var(--grill-stats-tile-secondary-text-color); }
  .badge {
    display: inline-flex; align-items: center; gap: 3px; font-size: 0.75rem; font-weight: 600; padding: 1px 7px; border-radius: 10px;
    white-space: nowrap; color: color-mix(in srgb, var(--badge-color) 45%, var(--primary-text-color, #212121)); background: color-mix(in srgb, var(--badge-color) 16%, transparent);
  }
  .badge .icon { width: 14px; height: 14px; }
  .level-critical > .badge, .badge.critical { --badge-color: var(--grill-stats-critical-color); }
  .badge.warning { --badge-color: var(--grill-stats-warning-color); }
  .badge.info { --badge-color: var(--grill-stats-info-color); }
  .badge.none { --badge-color: var(--secondary-text-color); }
  .alarm { margin-top: 8px; }
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .alarm-head { display: flex; align-items: center; flex-wrap: wrap; gap: 4px 6px; }
  .alarm-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
  .alarm .msg { font-size: 0.85rem; }
  .alarm.critical .msg { color: var(--grill-stats-critical-text-color); font-weight: 500; }
  .btn {
    font: inherit; font-size: 0.85rem; font-weight: 500; padding: 6px 10px; min-height: 36px; border-radius: 18px; cursor: pointer;
    border: 1px solid var(--primary-color); color: var(--grill-stats-accent-text-color); background: none;
  }
  .btn.primary { background: var(--grill-stats-accent-fill); border-color: var(--grill-stats-accent-fill); color: var(--text-primary-color, #fff); }
  .alarm.critical .btn.primary { background: var(--grill-stats-critical-fill); border-color: var(--grill-stats-critical-fill); }
  .chart { margin-top: 10px; }
  .windows { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 4px; margin: 0 0 4px; }
  .windows button {
    font: inherit; font-size: 0.8rem; padding: 3px 10px; min-height: 28px; border-radius: 14px; cursor: pointer;
    border: 1px solid var(--divider-color); background: none; color: var(--secondary-text-color);
  }
  .windows button[aria-pressed="true"] { background: var(--grill-stats-accent-fill); border-color: var(--grill-stats-accent-fill); color: var(--text-primary-color, #fff); }
  .note { color: var(--secondary-text-color); font-size: 0.85rem; padding: 4px; }
  .empty { padding: 16px; color: var(--secondary-text-color); }
  /* A phone (and gloves): Home Assistant's touch size for every control, 8 px between them. A
     mouse keeps the compact card. */
  @media (pointer: coarse) {
    .top, .settings, .alarm-actions, .windows, .edit { gap: 8px; }
    .chip, .btn, .windows button { min-height: 44px; border-radius: 22px; }
    .edit input, .edit select.presets { min-height: 44px; }
    .chip, .windows button { padding: 6px 14px; }
    .chip { align-items: center; }
    .btn { padding: 6px 16px; }
  }
  /* Tiles that narrow take less padding and let a badge wrap, so Acknowledge and "Stall 1 h 30 min" stay inside. */
  @container probes (max-width: 200px) {
    .probe { padding: 8px 8px 8px 10px; }
    .badge { white-space: normal; }
    .chip, .btn { padding-inline: 8px; }
  }
`;
