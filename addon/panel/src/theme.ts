/**
 * Home Assistant's theme in the panel. The ingress iframe shares Home Assistant's origin, so the
 * panel reads the theme variables Home Assistant puts on its own page (its <html>): the user's
 * theme and dark-mode choice, which need not match the browser's colour scheme. They go on the
 * panel's root element, over the built-in defaults of styles.ts, and follow a change of theme.
 * Opened alone (no Home Assistant page around it, or one it may not read) the defaults apply.
 */

/** The variables the panel's styles use (styles.ts defines each). */
export const THEME_VARIABLES = [
  "primary-color",
  "accent-color",
  "primary-background-color",
  "secondary-background-color",
  "card-background-color",
  "primary-text-color",
  "secondary-text-color",
  "disabled-text-color",
  "divider-color",
  "error-color",
  "warning-color",
  "success-color",
  "info-color",
  "app-header-background-color",
  "app-header-text-color",
] as const;

/** The theme variables set on Home Assistant's page around `win`; null when there is none to read. */
export const readHostTheme = (win: Window): Record<string, string> | null => {
  try {
    if (win.parent === win) return null;
    const style = win.parent.getComputedStyle(win.parent.document.documentElement);
    const out: Record<string, string> = {};
    for (const name of THEME_VARIABLES) {
      const value = style.getPropertyValue(`--${name}`).trim();
      if (value) out[name] = value;
    }
    // Without the basics it is not Home Assistant's page (or not themed): keep the defaults.
    return out["primary-background-color"] && out["primary-text-color"] ? out : null;
  } catch {
    // Another origin (opened through a proxy of its own): the browser's colour scheme decides.
    return null;
  }
};

/** Relative luminance of a "#rgb", "#rrggbb" or "rgb(…)" colour; null for anything else. */
export const luminance = (color: string): number | null => {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(color);
  const full = hex ? ((hex[1] as string).length === 3 ? [...(hex[1] as string)].map((c) => c + c).join("") : (hex[1] as string)) : null;
  const channels = full ? [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) : rgb ? [rgb[1], rgb[2], rgb[3]].map(Number) : null;
  if (!channels) return null;
  const [r, g, b] = channels.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** Applies Home Assistant's theme to `host` now and on every change; returns the function that stops. */
export const followHomeAssistantTheme = (host: HTMLElement, win: Window): (() => void) => {
  const apply = (): void => {
    const vars = readHostTheme(win);
    for (const name of THEME_VARIABLES) {
      const value = vars?.[name];
      if (value) host.style.setProperty(`--${name}`, value);
      else host.style.removeProperty(`--${name}`);
    }
    // Native controls and scrollbars in the theme's scheme, not the browser's.
    const lum = vars ? luminance(vars["primary-background-color"] as string) : null;
    host.style.colorScheme = lum === null ? "" : lum < 0.2 ? "dark" : "light";
  };
  apply();
  let observer: MutationObserver | null = null;
  try {
    // Home Assistant rewrites its <html> style when the theme or dark mode changes.
    if (win.parent !== win) {
      observer = new MutationObserver(apply);
      observer.observe(win.parent.document.documentElement, { attributes: true, attributeFilter: ["style", "class"] });
    }
  } catch {
    observer = null;
  }
  return () => observer?.disconnect();
};
