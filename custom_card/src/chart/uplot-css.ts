import { css } from "lit";

/**
 * uPlot's stylesheet (uplot/dist/uPlot.min.css, MIT), reduced to what this chart uses and
 * themed with Home Assistant variables. It has to live in the shadow root, and the bundle must
 * stay one self-contained JS file, so it is inlined here instead of imported as a .css file.
 */
export const UPLOT_CSS = css`
  .uplot, .uplot *, .uplot *::before, .uplot *::after { box-sizing: border-box; }
  .uplot { font-family: inherit; line-height: 1.4; width: min-content; }
  .u-wrap { position: relative; user-select: none; }
  .u-over, .u-under { position: absolute; }
  .u-under { overflow: hidden; }
  .uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
  .u-axis { position: absolute; }
  .u-legend {
    font-size: 12px;
    margin: 0 0 4px;
    text-align: left;
    color: var(--secondary-text-color);
    font-variant-numeric: tabular-nums;
  }
  .u-inline { display: block; }
  .u-inline * { display: inline-block; }
  .u-inline tr { margin-right: 12px; }
  .u-legend th { font-weight: 500; color: var(--primary-text-color); }
  .u-legend th > * { vertical-align: middle; display: inline-block; }
  .u-legend .u-marker { width: 14px; height: 4px; margin-right: 4px; border-radius: 2px; background-clip: padding-box !important; }
  .u-inline.u-live th::after { content: ":"; vertical-align: middle; }
  .u-inline:not(.u-live) .u-value { display: none; }
  .u-legend .u-series:first-child th { display: none; }
  .u-legend.idle .u-value, .u-legend.idle .u-series:first-child { display: none; }
  .u-legend.idle th::after { content: "" !important; }
  .u-series > * { padding: 2px; }
  .u-series th { cursor: pointer; border-radius: 4px; }
  /* Legend entries are buttons (show/hide a series): a touch-sized target on a phone, 8 px apart when they wrap. */
  @media (pointer: coarse) {
    .u-inline tr { margin-bottom: 8px; }
    .u-series > th { display: inline-flex; align-items: center; min-height: 44px; }
  }
  .u-series th:focus-visible { outline: 2px solid var(--primary-color, #03a9f4); outline-offset: 1px; }
  .u-legend .u-off > * { opacity: 0.3; }
  .u-select { background: rgba(127, 127, 127, 0.1); position: absolute; pointer-events: none; }
  .u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; will-change: transform; }
  .u-hz .u-cursor-x, .u-vt .u-cursor-y { height: 100%; border-right: 1px dashed var(--secondary-text-color, #607d8b); }
  .u-hz .u-cursor-y, .u-vt .u-cursor-x { width: 100%; border-bottom: 1px dashed var(--secondary-text-color, #607d8b); }
  .u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; border: 0 solid; pointer-events: none; will-change: transform; background-clip: padding-box !important; }
  .u-axis.u-off, .u-select.u-off, .u-cursor-x.u-off, .u-cursor-y.u-off, .u-cursor-pt.u-off { display: none; }
`;
