/** Touch-size checks for the card and panel browser tests. */

/** Home Assistant's touch size (WCAG 2.5.5 asks 44 px) … */
export const TOUCH_PX = 44;
/** … and the room between two neighbouring targets. */
export const SPACING_PX = 8;

/** A tap target's box in CSS px, and what it is (for messages). */
export interface TapBox {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The gap between two boxes (0 when they touch or overlap). */
export const gap = (a: TapBox, b: TapBox): number => {
  const dx = Math.max(0, Math.max(a.left, b.left) - Math.min(a.right, b.right));
  const dy = Math.max(0, Math.max(a.top, b.top) - Math.min(a.bottom, b.bottom));
  return Math.hypot(dx, dy);
};
