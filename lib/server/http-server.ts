// One process, one port: a plain node:http server that sends the agent API (/api/v1) to the
// Fastify data plane and everything else to Next.js. The data plane never pays for Next.
import "server-only";
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import next from "next";
import { startCheckpointSweeper } from "@/lib/approvals/checkpoint-sweeper";
import { startAuditChain } from "@/lib/audit/audit-sealer";
import { closeDecisionWriter } from "@/lib/decisions/group-commit";
import { agentServicesOf, buildAgentDataPlane } from "@/lib/http/dataplane/agent-data-plane";
import { createStatusFastPath, type StatusFastPath } from "@/lib/kill/status-fast-path";
import { stampClient, trustedProxyHops } from "@/lib/server/client-address";
import { installStatusSocketPath } from "@/lib/server/status-socket-path";
import { startWebhookWorker } from "@/lib/webhooks/webhook-worker";

export interface StartOptions {
  port: number;
  /** Interface to bind; all interfaces when omitted. */
  hostname?: string;
  /** Next.js development mode (compiles on demand, hot reload). */
  dev?: boolean;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The repository root, from this file's location (lib/server/), whatever the working directory. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** How long open connections (keep-alive, long polls) get to finish before they are cut. */
const CLOSE_GRACE_MS = 5_000;

/** Whether a request target belongs to the data plane: "/api/v1" itself or anything below it. */
export function isDataPlanePath(url: string | undefined): boolean {
  if (!url?.startsWith("/api/v1")) return false;
  const after = url.charAt("/api/v1".length);
  return after === "" || after === "/" || after === "?";
}

type NextHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** `statusFastPath` answers the kill-switch poll's 304 before Fastify and hands it everything else. */
export interface ConsoleDispatch {
  /** Proxies in front of Mandate whose X-Forwarded-For counts (MANDATE_TRUSTED_PROXY_HOPS). */
  proxyHops?: number;
  /** The console's public URL is https: browsers are told to keep to https (HSTS). */
  hsts?: boolean;
}

const HSTS = "max-age=31536000";

export function createDispatcher(
  dataPlane: { routing: RequestListener },
  nextHandler: NextHandler,
  statusFastPath?: StatusFastPath,
  { proxyHops = 0, hsts = false }: ConsoleDispatch = {},
): RequestListener {
  return (req, res) => {
    if (isDataPlanePath(req.url)) {
      if (statusFastPath) statusFastPath(req, res, dataPlane.routing);
      else dataPlane.routing(req, res);
      return;
    }
    // The console learns the client's address from this server, never from the client (sign-in brake).
    stampClient(req, proxyHops);
    // Only over https does a browser heed it; never for the data plane, whose clients are not browsers.
    if (hsts) res.setHeader("Strict-Transport-Security", HSTS);
    Promise.resolve(nextHandler(req, res)).catch((error: unknown) => {
      console.error("Next.js request handler failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal error");
    });
  };
}

export async function startServer({ port, hostname, dev = false }: StartOptions): Promise<RunningServer> {
  // As `next start` / `next dev` do: React and Next pick their production or development code from it.
  (process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? "development" : "production";
  // Agent keys authenticate through the instance's cached verifier (lib/http/dataplane/agent-auth.ts).
  const dataPlane = buildAgentDataPlane();
  await dataPlane.ready();

  const server = http.createServer();
  const services = agentServicesOf(dataPlane)!;
  // Each connection meets the kill-switch poll's connection-level 304 first (node:http itself was the
  // poll's ceiling); anything else is handed to node:http below, upgrades (dev-mode HMR) included.
  // Installed before Next sees the server: it takes over node:http's own `connection` listener.
  const socketPath = installStatusSocketPath(server, { authenticate: services.auth.authenticate, pool: services.pool });
  // Next's custom-server wrapper attaches its own `upgrade` listener to `httpServer` on the first
  // request it serves; that is how dev-mode HMR websockets reach it. Adding ours too would hand
  // each upgrade to two handlers, so Next is only told which server to attach to.
  const nextApp = next({ dev, dir: ROOT, hostname: hostname ?? "localhost", port, httpServer: server });
  try {
    await nextApp.prepare();
  } catch (error) {
    await dataPlane.close();
    throw error;
  }
  const statusFastPath = createStatusFastPath({ authenticate: services.auth.authenticate, pool: services.pool });
  server.on("request", createDispatcher(dataPlane, nextApp.getRequestHandler(), statusFastPath, {
      proxyHops: trustedProxyHops(),
      hsts: process.env.NEXTAUTH_URL?.startsWith("https://") ?? false,
    }));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, hostname, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await Promise.allSettled([dataPlane.close(), nextApp.close()]);
    throw error;
  }
  // Overdue checkpoints become `expired` (a deny) even when nobody reads them; one instance sweeps per round.
  const sweeper = startCheckpointSweeper();
  // Webhooks are queued from the checkpoint table and the sealed audit log, and sent on their own timer, never on a request's path.
  const webhooks = startWebhookWorker();
  // The audit chain is sealed within about a second; one instance seals per round (issue 7).
  const auditChain = startAuditChain();
  const { port: boundPort } = server.address() as AddressInfo;
  const shownHost = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      socketPath.closeIdle();
      const cut = setTimeout(() => {
        server.closeAllConnections();
        socketPath.closeAll();
      }, CLOSE_GRACE_MS);
      await stopped;
      clearTimeout(cut);
      await Promise.allSettled([sweeper.stop(), webhooks.stop(), auditChain.stop(), dataPlane.close(), nextApp.close()]);
      // Decisions already queued are committed (and answered) before the process goes.
      await closeDecisionWriter();
    })();
    return closing;
  };
  return { url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${boundPort}`, close };
}
