/**
 * Process settings for a small, long-running service; imported FIRST by the process entry
 * (cli.ts, and the bench child that mirrors it), so they apply before any other module runs.
 *
 * `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MB semi-spaces
 * instead of doubling up to 2 × 8 MB during start-up and keeping that for good (~15 MB of RSS
 * on a Raspberry Pi for nothing: the service allocates little per poll and per request, and
 * scavenges of a 1 MB space take well under a millisecond). `--max-semi-space-size` would be
 * the usual knob, but it is read only when the heap is created, i.e. before any JavaScript runs;
 * the growth factor is read at each growth decision, so it can be set from here.
 *
 * `--heap-growing-percent=25`: after each full GC the old generation may grow by 25% of what is
 * live before the next one, instead of V8's default (up to 2-4x for a small heap). Under a burst
 * of work (catch-up of many polls, an export) garbage piled up to ~60-90 MB of reserved heap, which
 * glibc and V8 give back late or never; now it stays ~35-40 MB (peak RSS 164 -> ~110 MB over a fed
 * day). A full GC of a ~20 MB heap is a few ms and mostly concurrent; API latency unchanged.
 *
 * `TZ`: when unset, the host's zone is read from /etc/localtime (or /etc/timezone) and put in
 * TZ. The service needs the zone name at start (alarm messages and quiet hours use local time);
 * asking ICU for it (`Intl.DateTimeFormat().resolvedOptions()`) loads ICU's locale and zone data,
 * ~5–8 MB of resident memory for the life of the process. The name is the one ICU and libc would
 * find themselves, so local times do not change; when it cannot be read, TZ stays unset.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--semi-space-growth-factor=1");
setFlagsFromString("--heap-growing-percent=25");

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The IANA name of the host's zone ("Europe/Berlin"), as ICU finds it, or null. */
export const hostTimeZone = (read = { link: readlinkSync, file: readFileSync }): string | null => {
  const candidates: (() => string)[] = [
    // As ICU: the zoneinfo path the /etc/localtime symlink points at, without posix/ or right/.
    () => read.link("/etc/localtime").replace(/^.*\/zoneinfo\/(?:posix\/|right\/)?/, ""),
    () => read.file("/etc/timezone", "utf8").trim(),
  ];
  for (const candidate of candidates) {
    let name: string;
    try {
      name = candidate();
    } catch {
      continue; // not there on this host: try the next source
    }
    if (ZONE_NAME.test(name) && name !== "localtime") return name;
  }
  return null;
};

if (!process.env.TZ) {
  const zone = hostTimeZone();
  if (zone) process.env.TZ = zone;
}
