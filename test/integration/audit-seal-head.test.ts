// The head webhook: one instance posts the chain head ({seq, hash, at}) to the configured URL,
// the others stand by and take over when its connection goes; a failing webhook is reported.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readAuditHead } from "@/lib/audit/audit-head";
import { startHeadPublisher, type HeadPublisher } from "@/lib/audit/audit-head-publisher";
import { appendEvents, sealAll } from "./audit-seal-fixtures";

const received: Array<{ type: string | undefined; body: unknown }> = [];
let status = 200;
let url = "";
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    received.push({ type: req.headers["content-type"], body: JSON.parse(body) });
    res.writeHead(status).end();
  });
});
const publishers: HeadPublisher[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/anchors`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((publisher) => publisher.stop()));
  received.length = 0;
  status = 200;
});

function publisher(): HeadPublisher {
  // A long interval: the test drives each round with runOnce().
  const started = startHeadPublisher({ url, intervalMs: 3_600_000 }, { log: () => {} });
  publishers.push(started);
  return started;
}

describe("the head webhook", () => {
  it("posts nothing before anything is sealed, then the head from exactly one instance", async () => {
    const [a, b] = [publisher(), publisher()];
    expect(await a.runOnce()).toBeNull();
    await appendEvents(5);
    await sealAll();
    const posted = await Promise.all([a.runOnce(), b.runOnce()]);
    const head = await readAuditHead();
    expect(posted.filter(Boolean)).toEqual([head]);
    expect(received).toEqual([{ type: "application/json", body: head }]);
  });

  it("is taken over by another instance when the publisher stops", async () => {
    await appendEvents(2);
    await sealAll();
    const [a, b] = [publisher(), publisher()];
    expect(await a.runOnce()).not.toBeNull();
    expect(await b.runOnce()).toBeNull();
    await a.stop();
    expect(await b.runOnce()).toEqual(await readAuditHead());
    expect(received).toHaveLength(2);
  });

  it("fails the round when the webhook does not answer 2xx", async () => {
    await appendEvents(1);
    await sealAll();
    status = 503;
    await expect(publisher().runOnce()).rejects.toThrow("the webhook answered 503");
  });
});
