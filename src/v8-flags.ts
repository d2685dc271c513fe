/**
 * V8 settings for a small, long-running service; imported FIRST by the process entry (cli.ts),
 * so they apply before any other module allocates.
 *
 * `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MB semi-spaces
 * instead of doubling up to 2 × 8 MB during start-up and keeping that for good (~15 MB of RSS
 * on a Raspberry Pi for nothing: the service allocates little per poll and per request, and
 * scavenges of a 1 MB space take well under a millisecond). `--max-semi-space-size` would be
 * the usual knob, but it is read only when the heap is created, i.e. before any JavaScript runs;
 * the growth factor is read at each growth decision, so it can be set from here.
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--semi-space-growth-factor=1");
