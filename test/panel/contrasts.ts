/** Contrast of panel text, read in the browser through the shadow roots (tests only). */
import type { Frame, Page } from "playwright-core";
import { textContrast } from "../card/contrast";

/** Contrast of the first `inner` inside any `host`, for each "host >> inner" (-1: not found). */
export const contrasts = (target: Page | Frame, selectors: string[]): Promise<Record<string, number>> =>
  target.evaluate(
    ([fn, sels]) => {
      const contrast = new Function("__name", `return (${fn as string})`)((f: unknown) => f) as (el: Element) => number;
      const find = (root: Document | ShadowRoot, sel: string): Element | null => {
        const hit = root.querySelector(sel);
        if (hit) return hit;
        for (const el of root.querySelectorAll("*")) {
          const found = el.shadowRoot ? find(el.shadowRoot, sel) : null;
          if (found) return found;
        }
        return null;
      };
      return Object.fromEntries(
        (sels as string[]).map((sel) => {
          const [host, inner] = sel.split(" >> ") as [string, string];
          // The first `inner` in any `host` (the tile with an alarm, not the first tile).
          const all = (root: Document | ShadowRoot, out: Element[] = []): Element[] => {
            out.push(...root.querySelectorAll(host));
            for (const e of root.querySelectorAll("*")) if (e.shadowRoot) all(e.shadowRoot, out);
            return out;
          };
          const el = all(document).map((h) => (h.shadowRoot ? find(h.shadowRoot, inner) : null)).find((e) => e !== null);
          return [sel, el ? contrast(el) : -1];
        }),
      );
    },
    [textContrast.toString(), selectors] as const,
  );
