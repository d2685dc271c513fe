/**
 * Test support: WCAG 2 contrast of rendered text, measured in the page. `textContrast` runs
 * inside the browser (pass it to page.evaluate): it takes an element's computed text colour and
 * composes the backgrounds behind it (its own and its ancestors', across shadow roots, with their
 * alpha) up to the first opaque one.
 */

/** In the page: the contrast ratio (1–21) of `el`'s text against what is behind it. */
export const textContrast = (el: Element): number => {
  const parse = (c: string): [number, number, number, number] => {
    const srgb = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.e-]+%?))?\)$/.exec(c);
    if (srgb) {
      const a = srgb[4] === undefined ? 1 : srgb[4].endsWith("%") ? Number(srgb[4].slice(0, -1)) / 100 : Number(srgb[4]);
      return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, a];
    }
    const rgb = /^rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\)$/.exec(c);
    if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
    if (c === "transparent") return [0, 0, 0, 0];
    throw new Error(`colour not understood: ${c}`);
  };
  const over = (top: number[], bottom: number[]): [number, number, number, number] => {
    const a = (top[3] as number) + (bottom[3] as number) * (1 - (top[3] as number));
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => ((top[i] as number) * (top[3] as number) + (bottom[i] as number) * (bottom[3] as number) * (1 - (top[3] as number))) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const parent = (n: Element): Element | null => n.parentElement ?? ((n.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  // Backgrounds from the element outwards, composed from the outermost inwards.
  const layers: Array<[number, number, number, number]> = [];
  for (let n: Element | null = el; n; n = parent(n)) {
    const style = getComputedStyle(n);
    const bg = parse(style.backgroundColor);
    const opacity = Number(style.opacity);
    if (bg[3] > 0) layers.push([bg[0], bg[1], bg[2], bg[3] * opacity]);
    if (bg[3] >= 1 && opacity >= 1) break;
  }
  let bg: [number, number, number, number] = [255, 255, 255, 1];
  for (const layer of layers.reverse()) bg = over(layer, bg);
  // The element's own opacity and its ancestors' fade the text too.
  let alpha = 1;
  for (let n: Element | null = el; n; n = parent(n)) alpha *= Number(getComputedStyle(n).opacity);
  const fgRaw = parse(getComputedStyle(el).color);
  const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * alpha], bg);
  const lum = (c: number[]) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
  return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
};
