// One HTTP POST of a signed delivery, with node:http(s) rather than fetch so the address actually
// dialled can be checked (webhook-url.ts: refusedAddress) after DNS — a name cannot pass validation
// and then resolve to a metadata endpoint. No redirects are followed; the answer's body is read
// and thrown away, never stored (the delivery log is not a way to read internal services).
import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { APP_VERSION } from "@/lib/config/env";
import { refusedAddress } from "@/lib/webhooks/webhook-url";

export const DEFAULT_TIMEOUT_MS = 5_000;

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
    if (error) return callback(error, "", 4);
    const list = addresses as LookupAddress[];
    const allowed = list.find((entry) => !refusedAddress(entry.address));
    if (!allowed) return callback(Object.assign(new Error(`${hostname} resolves only to addresses webhooks may not reach.`), { code: "EREFUSED_ADDRESS" }), "", 4);
    if ((options as LookupOptions).all) return callback(null, [allowed] as unknown as string, allowed.family);
    callback(null, allowed.address, allowed.family);
  });
};

export function postWebhook(request: PostRequest): Promise<PostResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): PostResult => ({ statusCode, error, durationMs: Math.round(performance.now() - started) });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(done(null, "The URL is not valid."));
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && refusedAddress(host)) return Promise.resolve(done(null, "This address is never allowed for webhooks."));
  const transport = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
  if (!transport) return Promise.resolve(done(null, "Only http and https URLs are allowed."));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(statusCode, error));
    };
    const outgoing = transport.request(url, {
      method: "POST",
      agent: false,
      lookup: guardedLookup,
      headers: { "content-type": "application/json", "user-agent": `Mandate-Webhooks/${APP_VERSION}`, "content-length": String(Buffer.byteLength(request.body)), ...request.headers },
    });
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      finish(null, `No answer within ${timeoutMs} ms.`);
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on("response", (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      response.on("error", () => {});
      const error = status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? `Answered ${status}; redirects are not followed.` : `Answered ${status}.`;
      finish(status, error);
    });
    outgoing.on("error", (error: NodeJS.ErrnoException) => finish(null, describe(error)));
    outgoing.end(request.body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "Connection refused.";
  if (error.code === "ENOTFOUND") return "The host name does not resolve.";
  if (error.code === "EREFUSED_ADDRESS") return error.message;
  if (error.code === "ECONNRESET") return "The connection was reset.";
  return error.message ? `Could not deliver: ${error.message}` : "Could not deliver.";
}
