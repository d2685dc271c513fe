/**
 * Canvas cannot read CSS variables, so theme colours (`var(--primary-color, #03a9f4)`) are
 * resolved to concrete colours through a hidden element that inherits the host's custom
 * properties. Results are cached until `clear()` (call it when the theme changes).
 */
export class ColorResolver {
  private readonly cache = new Map<string, string>();

  constructor(private readonly probe: () => HTMLElement | null) {}

  resolve(css: string): string {
    const hit = this.cache.get(css);
    if (hit !== undefined) return hit;
    const el = this.probe();
    if (!el) return css.startsWith("var(") ? "#888" : css;
    el.style.color = "";
    el.style.color = css;
    const out = el.style.color === "" ? "#888" : getComputedStyle(el).color;
    this.cache.set(css, out);
    return out;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** Alpha of an `rgb()/rgba()` colour string as returned by getComputedStyle (1 when unknown). */
export const colorAlpha = (color: string): number => {
  const m = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (!m) return 1;
  const parts = (m[1] ?? "").split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 4) return 1;
  const a = parts[3] ?? "1";
  const n = a.endsWith("%") ? Number(a.slice(0, -1)) / 100 : Number(a);
  return Number.isFinite(n) ? n : 1;
};

/** Opacity used for shaded bands whose colour is opaque (stall periods, forecast range). */
export const BAND_ALPHA = 0.16;
