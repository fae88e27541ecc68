// A Server-Sent Events parser (WHATWG HTML, "event stream interpretation") fed with decoded text
// as it arrives. Comments are reported too: they are the server's heartbeats.

export interface SseMessage {
  /** "message" when the server names none. */
  event: string;
  data: string;
  /** The last event id seen so far on this stream (sent back as Last-Event-ID on reconnect). */
  lastEventId: string;
}

export interface SseHandlers {
  message: (message: SseMessage) => void;
  comment?: (text: string) => void;
  /** The server's `retry:` field, in milliseconds. */
  retry?: (ms: number) => void;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private lastEventId: string;
  private started = false;
  /** A chunk ended in "\r": a "\n" opening the next chunk belongs to the same line break. */
  private pendingCr = false;

  constructor(
    private readonly handlers: SseHandlers,
    lastEventId = "",
  ) {
    this.lastEventId = lastEventId;
  }

  get eventId(): string {
    return this.lastEventId;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buffer += text;
    let start = 0;
    for (let index = 0; index < this.buffer.length; index++) {
      const char = this.buffer[index];
      if (char !== "\n" && char !== "\r") continue;
      this.line(this.buffer.slice(start, index));
      if (char === "\r") {
        if (index + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[index + 1] === "\n") index++;
      }
      start = index + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) {
      this.handlers.comment?.(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.retry?.(Number(value));
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = "";
    if (data.length === 0) return;
    this.handlers.message({ event: event || "message", data: data.join("\n"), lastEventId: this.lastEventId });
  }
}
