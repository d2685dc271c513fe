// Types for addon/sqlite-snapshot.mjs (plain JS so the image runs it without a build step).
export declare const DB_FILE: "grill-stats.db";
export declare const SNAPSHOT_FILE: "grill-stats.snapshot.db";
export interface SnapshotOutcome {
  result:
    "written" | "no-database" | "removed" | "none" | "database-present" | "restored" | "corrupt";
  path: string | null;
  problem?: string;
}
export declare const writeSnapshot: (dataDir: string) => SnapshotOutcome;
export declare const removeSnapshot: (dataDir: string) => SnapshotOutcome;
export declare const restoreSnapshot: (dataDir: string, nowMs?: number) => SnapshotOutcome;
