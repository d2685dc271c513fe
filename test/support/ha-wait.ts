/**
 * Waiting helpers for tests against the Home Assistant stand-in (real sockets, real timers).
 * `waitUntil` polls a condition; it rejects with the given description when time runs out.
 */
export const waitUntil = async (cond: () => boolean, what: string, timeoutMs = 5000, everyMs = 10): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
