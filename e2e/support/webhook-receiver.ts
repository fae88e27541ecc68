// A webhook receiver on loopback for the specs: records each delivery's body, signature and event
// header, answers 204.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedDelivery {
  body: string;
  signature: string | undefined;
  event: string | undefined;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: request.headers["mandate-signature"] as string | undefined,
        event: request.headers["mandate-event"] as string | undefined,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mandate`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
