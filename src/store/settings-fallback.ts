/**
 * Probe settings and the key/value table when the database cannot be written (a full disk, a
 * read-only file, a lock held by another program). A person's target or limit, set in the panel
 * or in Home Assistant, must take effect all the same: what the database refuses is kept in
 * memory, read back from there, and written once the database takes writes again (tried again
 * with the next read or write after the WriteGate's back-off; the service reads settings with
 * every poll). Readings have their own fallback (ingest.ts), alarms theirs (alarms/resilient-repo).
 */
import { createWriteGate, errorMessage, isDatabaseError, type Clock, type KvRepo, type Logger, type ProbeSettings, type SettingsRepo } from "../shared";

export interface SettingsWithFallback extends SettingsRepo, KvRepo {
  /** Settings and keys kept in memory, not written yet. */
  unsavedWrites(): number;
  /** The last write the database refused, while that lasts (null once it takes writes again). */
  writeFailure(): { sinceMs: number; error: string } | null;
  /**
   * Writes what is kept, whatever the back-off (the store is about to close); logs what could not
   * be written (it is lost with the process). Returns how many are left.
   */
  flush(): number;
}

/** `validate` throws for a caller's mistake (a bad value), which must not be kept, before the write is tried. */
export const withSettingsFallback = (
  repo: SettingsRepo & KvRepo,
  validate: (s: ProbeSettings) => void,
  logger: Logger,
  clock: Clock,
): SettingsWithFallback => {
  const settings = new Map<string, ProbeSettings>();
  /** Key → value (null: deleted). */
  const kv = new Map<string, unknown>();
  const gate = createWriteGate(clock);
  let failure: { sinceMs: number; error: string } | null = null;

  const attempt = (what: string, write: () => void): boolean => {
    // Only the database refusing the write is kept for later; any other error is the caller's.
    let other: unknown = null;
    const guarded = (): void => {
      try {
        write();
      } catch (err) {
        if (isDatabaseError(err)) throw err;
        other = err ?? new Error("write failed");
      }
    };
    const ok = gate.attempt(guarded, (err, report) => {
      failure = { sinceMs: failure?.sinceMs ?? clock.now(), error: errorMessage(err) };
      if (report) logger.error(`could not write ${what} to the database; it applies from memory and is written once the database takes writes again`, { error: failure.error });
    });
    if (other !== null) throw other;
    if (ok && failure !== null && settings.size === 0 && kv.size === 0) {
      failure = null;
      logger.info("the database takes writes again; nothing is kept in memory any more", { failedForMs: gate.recovered() });
    }
    return ok;
  };

  const writtenNow = (write: () => void): boolean => {
    try {
      write();
      return true;
    } catch {
      return false; // still refused
    }
  };

  const catchUp = (force = false): void => {
    if ((settings.size === 0 && kv.size === 0) || (!force && !gate.isOpen())) return;
    if (force) {
      // At the stop: one more try each, the back-off notwithstanding (what is still refused, flush() counts and logs).
      for (const [probeId, s] of [...settings]) if (writtenNow(() => repo.saveSettings(s))) settings.delete(probeId);
      for (const [key, value] of [...kv]) if (writtenNow(() => repo.setKv(key, value))) kv.delete(key);
      return;
    }
    for (const [probeId, s] of [...settings]) {
      settings.delete(probeId);
      if (!attempt("a probe's settings", () => repo.saveSettings(s))) return void settings.set(probeId, s);
    }
    for (const [key, value] of [...kv]) {
      kv.delete(key);
      if (!attempt("a stored value", () => repo.setKv(key, value))) return void kv.set(key, value);
    }
  };

  return {
    getSettings: (probeId) => {
      catchUp();
      return settings.get(probeId) ?? repo.getSettings(probeId);
    },
    listSettings: () => {
      catchUp();
      if (settings.size === 0) return repo.listSettings();
      const byId = new Map(repo.listSettings().map((s) => [s.probeId, s]));
      for (const [probeId, s] of settings) byId.set(probeId, s);
      return [...byId.values()].sort((a, b) => (a.probeId < b.probeId ? -1 : a.probeId > b.probeId ? 1 : 0));
    },
    saveSettings: (s) => {
      validate(s);
      catchUp();
      settings.delete(s.probeId);
      if (!attempt("a probe's settings", () => repo.saveSettings(s))) settings.set(s.probeId, { ...s });
    },
    getKv: <T = unknown>(key: string): T | null => {
      catchUp();
      // A copy, as the database gives a fresh value each time.
      return kv.has(key) ? (structuredClone(kv.get(key) ?? null) as T | null) : repo.getKv<T>(key);
    },
    setKv: (key, value) => {
      catchUp();
      kv.delete(key);
      if (!attempt("a stored value", () => repo.setKv(key, value))) kv.set(key, value === undefined ? null : structuredClone(value));
    },
    unsavedWrites: () => settings.size + kv.size,
    writeFailure: () => failure,
    flush: () => {
      catchUp(true);
      const left = settings.size + kv.size;
      if (left > 0) {
        logger.error("the database still refuses writes at the stop: settings and stored values kept in memory are lost", {
          probes: [...settings.keys()],
          keys: [...kv.keys()],
          error: failure?.error ?? null,
        });
      }
      return left;
    },
  };
};
