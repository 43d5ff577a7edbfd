export interface SseMessage {
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * A Server-Sent Events client on fetch, as a partner would write one: parses `id:` and `data:`
 * fields, ignores comments, and can be closed at any point.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  #controller = new AbortController();
  #done: Promise<void> = Promise.resolve();
  #waiters: (() => void)[] = [];
  status = 0;

  static async open(url: string, token: string, lastEventId?: string): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
        ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
      },
      signal: client.#controller.signal,
    });
    client.status = response.status;
    if (response.status !== 200) {
      client.comments.push(await response.text());
      return client;
    }
    client.#done = client.read(response);
    return client;
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`expected ${count} stream messages, got ${this.messages.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.slice(0, count);
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.#done;
  }

  private async read(response: Response): Promise<void> {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close().
    }
  }

  private frame(frame: string): void {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) {
      this.messages.push({ id, data: data.join('\n') });
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }
}
