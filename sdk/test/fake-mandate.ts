// A small node:http stand-in for the agent API of DESIGN.md section 6, for the SDK's unit tests.
// Each test declares the routes it needs; every request is recorded so tests can assert on what
// the SDK sent. (The lead's tests run the SDK against the real data plane.)
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const KEY = "mnd_TESTPREFIX00_secret";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
}

export type Handler = (request: FakeRequest, response: ServerResponse, params: Record<string, string>) => unknown;

export interface Fake {
  url: string;
  requests: FakeRequest[];
  /** Requests to `METHOD /path-pattern`, e.g. "GET /api/v1/checkpoints/:id". */
  hits: (route: string) => FakeRequest[];
  close: () => Promise<void>;
}

export async function startFake(routes: Record<string, Handler>): Promise<Fake> {
  const requests: FakeRequest[] = [];
  const matched: Array<{ route: string; request: FakeRequest }> = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const text = await readBody(req);
    const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined, at: Date.now() };
    requests.push(request);
    if (req.headers.authorization !== `Bearer ${KEY}`) return problem(res, 401, "unauthorized", "An agent key is required.");
    for (const [route, handler] of Object.entries(routes)) {
      const params = match(route, request.method, request.path);
      if (!params) continue;
      matched.push({ route, request });
      try {
        await handler(request, res, params);
      } catch (error) {
        if (!res.headersSent) problem(res, 500, "internal", String(error));
      }
      return;
    }
    problem(res, 404, "not_found", `No route ${request.method} ${request.path} in the agent API.`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hits: (route) => matched.filter((entry) => entry.route === route).map((entry) => entry.request),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function match(route: string, method: string, path: string): Record<string, string> | null {
  const [routeMethod, pattern] = route.split(" ") as [string, string];
  if (routeMethod !== method) return null;
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = got[index] as string;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-fake", ...headers });
  res.end(JSON.stringify(body));
}

export function problem(res: ServerResponse, status: number, code: string, detail: string, extra: Record<string, unknown> = {}): void {
  res.writeHead(status, { "content-type": "application/problem+json", "x-request-id": "req-fake" });
  res.end(JSON.stringify({ type: `https://mandate.dev/problems/${code}`, title: code, status, detail, code, requestId: "req-problem", ...extra }));
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server-side wait that does not keep the test process alive once the tests are done. */
export const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A port nothing listens on: connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
