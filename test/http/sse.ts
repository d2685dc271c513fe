/** A tiny Server-Sent Events client for tests: fetch + a streaming parser + "wait for the next X". */
export interface SseMessage {
  event: string;
  data: unknown;
}

export interface SseClient {
  status: number;
  headers: Headers;
  /** Every message received so far (comments excluded). */
  messages: SseMessage[];
  comments: string[];
  /** Resolves with the first message of that type not yet taken by an earlier `next`. */
  next(event: string): Promise<SseMessage>;
  close(): void;
  /** Resolves when the server ended the response. */
  ended: Promise<void>;
}

export const openSse = async (url: string): Promise<SseClient> => {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: "text/event-stream" } });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const taken = new Set<SseMessage>();
  let waiters: Array<{ event: string; resolve: (m: SseMessage) => void }> = [];

  const deliver = (): void => {
    waiters = waiters.filter((w) => {
      const m = messages.find((x) => x.event === w.event && !taken.has(x));
      if (!m) return true;
      taken.add(m);
      w.resolve(m);
      return false;
    });
  };

  const parseBlock = (block: string): void => {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) comments.push(line.slice(1).trim());
      else if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) messages.push({ event, data: JSON.parse(data.join("\n")) });
  };

  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf("\n\n")) >= 0) {
          parseBlock(buffer.slice(0, i));
          buffer = buffer.slice(i + 2);
        }
        deliver();
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
  })();

  return {
    status: res.status,
    headers: res.headers,
    messages,
    comments,
    next: (event) =>
      new Promise<SseMessage>((resolve) => {
        waiters.push({ event, resolve });
        deliver();
      }),
    close: () => controller.abort(),
    ended,
  };
};
