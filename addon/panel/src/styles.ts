import { css } from "lit";

/**
 * Theme: Home Assistant's default look (its variable names, its light and dark colours), chosen
 * by the browser's colour scheme. The panel runs in its own document inside the ingress iframe,
 * so it cannot inherit HA's theme variables: it defines them here, and theme.ts puts the ones of
 * Home Assistant's page (the user's theme and dark mode) over these when it can read them.
 */
export const themeStyles = css`
  :host {
    --primary-color: #03a9f4;
    --accent-color: #ff9800;
    --primary-background-color: #fafafa;
    --secondary-background-color: #f0f0f0;
    --card-background-color: #ffffff;
    --primary-text-color: #212121;
    --secondary-text-color: #727272;
    --disabled-text-color: #bdbdbd;
    --divider-color: rgba(0, 0, 0, 0.12);
    --error-color: #db4437;
    --warning-color: #ffa600;
    --success-color: #43a047;
    --info-color: #039be5;
    --app-header-background-color: #03a9f4;
    --app-header-text-color: #ffffff;
    --card-shadow: 0 2px 2px 0 rgba(0, 0, 0, 0.14), 0 1px 5px 0 rgba(0, 0, 0, 0.12), 0 3px 1px -2px rgba(0, 0, 0, 0.2);
    --radius: 12px;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --primary-background-color: #111111;
      --secondary-background-color: #202020;
      --card-background-color: #1c1c1c;
      --primary-text-color: #e1e1e1;
      --secondary-text-color: #9b9b9b;
      --disabled-text-color: #6f6f6f;
      --divider-color: rgba(225, 225, 225, 0.12);
      --app-header-background-color: #101e24;
      --app-header-text-color: #e1e1e1;
      --card-shadow: 0 0 0 1px rgba(255, 255, 255, 0.08);
      color-scheme: dark;
    }
  }
`;

/** Building blocks every view uses: cards, buttons, inputs, badges, tables. */
export const sharedStyles = css`
  :host {
    font-family: Roboto, "Noto Sans", system-ui, -apple-system, "Segoe UI", sans-serif;
    color: var(--primary-text-color);
    -webkit-font-smoothing: antialiased;
    /* Readable (4.5:1) on light and dark: HA's primary and error colours as text are mixed toward
       the text colour (#03a9f4 on white is 2.6:1), and as fills under white text darkened with
       black (white on #03a9f4 2.6:1, on #db4437 4.3:1). */
    --gs-accent-text-color: color-mix(in srgb, var(--primary-color) 60%, var(--primary-text-color));
    --gs-error-text-color: color-mix(in srgb, var(--error-color) 60%, var(--primary-text-color));
    --gs-accent-fill: color-mix(in srgb, var(--primary-color) 65%, black);
    --gs-error-fill: color-mix(in srgb, var(--error-color) 85%, black);
  }
  * { box-sizing: border-box; }
  a { color: var(--gs-accent-text-color); }
  h2 { font-size: 20px; font-weight: 500; margin: 0 0 12px; }
  h3 { font-size: 16px; font-weight: 500; margin: 0 0 8px; }
  .card {
    background: var(--card-background-color);
    border-radius: var(--radius);
    box-shadow: var(--card-shadow);
    padding: 16px;
  }
  .muted { color: var(--secondary-text-color); }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .spacer { flex: 1; }
  button, .button {
    font: inherit;
    font-size: 14px;
    font-weight: 500;
    border: 1px solid var(--divider-color);
    background: transparent;
    color: var(--gs-accent-text-color);
    border-radius: 8px;
    padding: 8px 14px;
    min-height: 36px;
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  button:hover, .button:hover { background: color-mix(in srgb, var(--primary-color) 8%, transparent); }
  button.primary { background: var(--gs-accent-fill); color: #fff; border-color: var(--gs-accent-fill); }
  button.danger { color: var(--gs-error-text-color); border-color: color-mix(in srgb, var(--error-color) 40%, transparent); }
  button.danger.solid { background: var(--gs-error-fill); color: #fff; }
  button:disabled { opacity: 0.5; cursor: default; }
  input, select, textarea {
    font: inherit;
    font-size: 15px;
    color: var(--primary-text-color);
    background: var(--secondary-background-color);
    border: 1px solid var(--divider-color);
    border-radius: 8px;
    padding: 7px 10px;
    min-height: 36px;
  }
  /* A select is as wide as its longest option (a cook's name): never wider than the card. */
  select { max-width: 100%; }
  input:focus, select:focus, textarea:focus { outline: 2px solid var(--primary-color); outline-offset: -1px; }
  input[aria-invalid="true"] { border-color: var(--error-color); outline-color: var(--error-color); }
  label { font-size: 13px; color: var(--secondary-text-color); }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-size: 12px;
    font-weight: 500;
    padding: 2px 8px;
    border-radius: 999px;
    background: var(--secondary-background-color);
    color: var(--secondary-text-color);
    white-space: nowrap;
  }
  /* Status colours as text are mixed toward the text colour: readable (4.5:1) in light and dark. */
  .badge.warn { background: color-mix(in srgb, var(--warning-color) 20%, transparent); color: color-mix(in srgb, var(--warning-color) 45%, var(--primary-text-color)); }
  .badge.error { background: color-mix(in srgb, var(--error-color) 18%, transparent); color: color-mix(in srgb, var(--error-color) 60%, var(--primary-text-color)); }
  .badge.ok { background: color-mix(in srgb, var(--success-color) 18%, transparent); color: color-mix(in srgb, var(--success-color) 55%, var(--primary-text-color)); }
  .badge.info { background: color-mix(in srgb, var(--info-color) 16%, transparent); color: color-mix(in srgb, var(--info-color) 55%, var(--primary-text-color)); }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  /* A table wider than a phone scrolls inside its card, not the page. */
  .table-scroll { overflow-x: auto; }
  th { text-align: left; font-weight: 500; color: var(--secondary-text-color); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
  th, td { padding: 8px 6px; border-bottom: 1px solid var(--divider-color); vertical-align: top; }
  .error-text { color: var(--gs-error-text-color); font-size: 14px; }
  .empty { padding: 32px 16px; text-align: center; color: var(--secondary-text-color); }
  .num { font-variant-numeric: tabular-nums; }
  /* A phone (and gloves): Home Assistant's touch size for every button and field. A mouse keeps 36 px. */
  @media (pointer: coarse) {
    button, .button, select, input:not([type="checkbox"]):not([type="radio"]) { min-height: 44px; }
  }
`;
