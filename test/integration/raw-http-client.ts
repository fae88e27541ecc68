// A raw HTTP/1.1 client for tests that must control the bytes and the writes on one connection
// (pipelining, a request split across writes, several requests on one socket): it writes what it
// is given and reads the responses back in order, framed by Content-Length, chunked or close.
import net from "node:net";

export interface RawResponse {
  status: number;
  /** The head as received: status line and fields, up to the empty line. */
  head: string;
  headers: Map<string, string>;
  body: string;
}

export class RawClient {
  readonly responses: RawResponse[] = [];
  closed = false;
  private pending = Buffer.alloc(0);
  private readonly changed = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.parse(false);
      this.notify();
    });
    socket.on("end", () => {
      this.parse(true);
      this.notify();
    });
    socket.on("close", () => {
      this.closed = true;
      this.notify();
    });
    socket.on("error", () => {});
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.setNoDelay(true);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.removeListener("error", reject);
        resolve(new RawClient(socket));
      });
    });
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** The first `count` responses of the connection, once they have arrived. */
  async read(count: number, timeoutMs = 3_000): Promise<RawResponse[]> {
    await this.until(() => this.responses.length >= count, timeoutMs, `${count} response(s); got ${this.responses.length}`);
    return this.responses.slice(0, count);
  }

  async waitClosed(timeoutMs = 3_000): Promise<void> {
    await this.until(() => this.closed, timeoutMs, "the server to close the connection");
  }

  destroy(): void {
    this.socket.destroy();
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.changed.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.changed.add(check);
    });
  }

  private notify(): void {
    for (const check of [...this.changed]) check();
  }

  private parse(ended: boolean): void {
    for (;;) {
      const end = this.pending.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = this.pending.subarray(0, end).toString("latin1");
      const [statusLine, ...lines] = head.split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1]);
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      const rest = this.pending.subarray(end + 4);
      let body: Buffer;
      let used: number;
      if (status === 304 || status === 204 || (status >= 100 && status < 200)) {
        body = Buffer.alloc(0);
        used = 0;
      } else if (headers.has("content-length")) {
        used = Number(headers.get("content-length"));
        if (rest.length < used) return;
        body = rest.subarray(0, used);
      } else if (headers.get("transfer-encoding") === "chunked") {
        const chunks: Buffer[] = [];
        let at = 0;
        for (;;) {
          const lineEnd = rest.indexOf("\r\n", at);
          if (lineEnd === -1) return;
          const size = parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
          if (rest.length < lineEnd + 2 + size + 2) return;
          chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
          if (size === 0) break;
        }
        body = Buffer.concat(chunks);
        used = at;
      } else {
        if (!ended) return;
        body = rest;
        used = rest.length;
      }
      this.responses.push({ status, head, headers, body: body.toString("utf8") });
      this.pending = rest.subarray(used);
    }
  }
}
