/**
 * Lid-open detection on a pit channel: opening the lid makes the cooker air fall sharply within a
 * minute or two and climb back once it is closed. From the fall until the pit has recovered
 * (back within 20 % of the drop, or 4 °C, of where it was), `lidOpen` is true, the samples are
 * kept out of the pit series the predictor uses, and alarms ignore low-pit. A fall that does not
 * recover within `maxOpenMs` was not a lid: the pit really cooled (fire out, door left open), so
 * the detector gives up and accepts the new level.
 */
import { MS_PER_MIN, type Sample } from "./samples";

export interface LidOptions {
  /** Minimum fall below the recent level, °C … */
  minDropC: number;
  /** … and as a share of (recent level − 20 °C), whichever is larger. */
  dropShare: number;
  /** The fall must happen within this time. */
  fallWithinMs: number;
  /** Closed again once back within this share of the drop (or `recoverC`) of the level before opening. */
  recoverShare: number;
  recoverC: number;
  maxOpenMs: number;
}

export const DEFAULT_LID_OPTIONS: LidOptions = {
  minDropC: 12,
  dropShare: 0.15,
  fallWithinMs: 3 * MS_PER_MIN,
  recoverShare: 0.2,
  recoverC: 4,
  maxOpenMs: 20 * MS_PER_MIN,
};

export type LidTransition = "opened" | "closed" | "gave_up" | null;

export interface LidDetector {
  /** Feed one pit reading; returns whether this reading opened or closed the lid. */
  update(tsMs: number, tempC: number): LidTransition;
  isOpen(): boolean;
  openedMs(): number | null;
  /** The pit level just before the lid opened. */
  levelBeforeC(): number | null;
  reset(): void;
}

export function createLidDetector(opts: Partial<LidOptions> = {}): LidDetector {
  const o: LidOptions = { ...DEFAULT_LID_OPTIONS, ...opts };
  let recent: Sample[] = [];
  let open = false;
  let openedAt: number | null = null;
  let level: number | null = null;
  let lowest = Number.POSITIVE_INFINITY;

  const dropNeeded = (levelC: number): number => Math.max(o.minDropC, o.dropShare * (levelC - 20));

  const update = (tsMs: number, tempC: number): LidTransition => {
    if (!open) {
      recent.push({ tsMs, tempC });
      recent = recent.filter((p) => p.tsMs >= tsMs - o.fallWithinMs);
      const peak = Math.max(...recent.map((p) => p.tempC));
      // Only a hot pit has a lid worth detecting; a cold cooker moving by a few degrees is not one.
      if (peak >= 50 && peak - tempC >= dropNeeded(peak)) {
        open = true;
        openedAt = recent.find((p) => p.tempC === peak)?.tsMs ?? tsMs;
        level = peak;
        lowest = tempC;
        return "opened";
      }
      return null;
    }
    lowest = Math.min(lowest, tempC);
    const before = level ?? tempC;
    if (tempC >= before - Math.max(o.recoverC, o.recoverShare * (before - lowest))) {
      open = false;
      recent = [{ tsMs, tempC }];
      return "closed";
    }
    if (openedAt !== null && tsMs - openedAt > o.maxOpenMs) {
      open = false;
      recent = [{ tsMs, tempC }];
      return "gave_up";
    }
    return null;
  };

  return {
    update,
    isOpen: () => open,
    openedMs: () => (open ? openedAt : null),
    levelBeforeC: () => (open ? level : null),
    reset: () => {
      recent = [];
      open = false;
      openedAt = null;
      level = null;
    },
  };
}
