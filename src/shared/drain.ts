/** Resolves when a stream that refused a write (`write()` returned false) may be written again, or once it is closed. */
export const whenWritable = (out: Pick<NodeJS.EventEmitter, "on" | "off">): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
