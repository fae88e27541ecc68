// What the one-port server adds to each console request before Next sees it: the client's address,
// vouched for by the server (never the client's own say-so), and HSTS when the console is public
// over https. Through a real socket, with a stand-in for Next that records what it was handed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_HEADER } from "@/lib/server/client-address";
import { createDispatcher, type ConsoleDispatch } from "@/lib/server/http-server";

describe("the address the console is told", () => {
  let seen: http.IncomingHttpHeaders[] = [];
  const servers: http.Server[] = [];

  async function serve(options: ConsoleDispatch): Promise<string> {
    const next = (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen.push(req.headers);
      res.end("next");
    };
    const server = http.createServer(createDispatcher({ routing: (_req, res) => res.end("api") }, next, undefined, options));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeEach(() => {
    seen = [];
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("is the peer's, replacing one the client sent, and ignores X-Forwarded-For with no proxy declared", async () => {
    const base = await serve({});
    await (await fetch(`${base}/signin`, { headers: { [CLIENT_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.67" } })).text();
    expect(seen[0]?.[CLIENT_HEADER]).toBe("127.0.0.1");
  });

  it("is what the declared proxy saw, behind one", async () => {
    const base = await serve({ proxyHops: 1 });
    await (await fetch(`${base}/signin`, { headers: { [CLIENT_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.1, 203.0.113.9" } })).text();
    expect(seen[0]?.[CLIENT_HEADER]).toBe("203.0.113.9");
  });

  it("tells browsers to keep to https when the console's public URL is https, and only the console", async () => {
    const plain = await serve({});
    expect((await fetch(`${plain}/signin`)).headers.get("strict-transport-security")).toBeNull();
    const secure = await serve({ hsts: true });
    expect((await fetch(`${secure}/signin`)).headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect((await fetch(`${secure}/api/v1/health`)).headers.get("strict-transport-security")).toBeNull();
  });
});
