import type { BusEvents } from "../shared";

/** A probe event as the engine reports it (the bus payload of `probe:event`). */
export type ProbeEventOut = BusEvents["probe:event"];
