/** Every long-lived module has this shape; main starts them in order and stops them in reverse. */
export interface Service {
  start(): Promise<void>;
  /** Clears its timers, closes its sockets, removes its listeners. */
  stop(): Promise<void>;
}
