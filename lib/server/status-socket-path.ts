// The kill-switch poll's 304 at the connection level, ahead of node:http's parser: on this machine
// node:http itself, not Fastify, was the poll's ceiling. Every socket the server accepts starts
// here. While each read is exactly one plain poll (lib/server/read-status-poll.ts) whose key the
// data plane accepts and whose status (from the instance's hub, loaded as the route loads it) is
// unchanged, the 304 is written here with the bytes node:http would have sent. The first read that
// is anything else — and any doubt — hands the socket to node:http for good, bytes put back, as if
// it had just connected; from then on node:http, the request-level fast path
// (lib/kill/status-fast-path.ts) and Fastify or Next serve it as before. Refused keys are never
// answered here: they reach the route, which answers them.
import "server-only";
import http from "node:http";
import type { Socket } from "node:net";
import type { FastifyRequest } from "fastify";
import type pg from "pg";
import type { AgentCaller, Authenticate } from "@/lib/http/dataplane/define-route";
import { handOverCheckedKey } from "@/lib/kill/status-fast-path";
import { loadNotModifiedEtag, notModifiedEtag, requestIdFor } from "@/lib/kill/status-not-modified";
import { DEFAULT_LIMITS, readStatusPoll, type PollLimits, type StatusPoll } from "@/lib/server/read-status-poll";

export interface StatusSocketPathOptions {
  authenticate: Authenticate;
  /** The data plane's pool: it names the instance's status hub. */
  pool: pg.Pool;
}

export interface StatusSocketPath {
  /** Sockets not handed to node:http yet. */
  readonly rawSockets: number;
  /** Stops answering (what is still in flight goes to node:http) and ends sockets waiting for a request. */
  closeIdle(): void;
  /** Ends every socket not handed to node:http yet. */
  closeAll(): void;
}

/** node:http keeps an idle keep-alive socket this long past the timeout it advertises (Node 20). */
const KEEP_ALIVE_BUFFER_MS = 1_000;

type ConnectionListener = (this: http.Server, socket: Socket) => void;

/**
 * Puts the connection-level path in front of `server`'s own connection handling. `server` must be
 * a plain node:http server with no other `connection` listener; it listens as usual, so its
 * connection tracking, timeouts and close() cover handed-over sockets exactly as before.
 */
export function installStatusSocketPath(server: http.Server, { authenticate, pool }: StatusSocketPathOptions): StatusSocketPath {
  const listeners = server.listeners("connection");
  if (listeners.length !== 1) throw new Error("The status socket path expects node:http's own connection listener, alone.");
  const nodeHttp = listeners[0] as ConnectionListener;
  server.removeListener("connection", nodeHttp);

  /** Sockets still read here. */
  const raw = new Map<Socket, RawSocket>();
  let closing = false;

  const accept = (socket: Socket) => {
    const state: RawSocket = { inFlight: null };
    raw.set(socket, state);

    /** node:http's reading of the socket from here on; `chunk` (unanswered) is read first. */
    function handOver(chunk: Buffer | null, checked?: InFlight) {
      if (!release() || socket.destroyed) return;
      // Paused, the bytes go back in front of whatever arrived meanwhile. node:http's parser takes
      // the socket's handle for later reads and, once the socket resumes, reads the buffered bytes first.
      socket.pause();
      if (chunk) socket.unshift(chunk);
      if (checked) handOverCheckedKey(socket, checked.poll.authorization, checked.outcome);
      nodeHttp.call(server, socket);
      socket.resume();
    }

    /** Stops reading the socket here; false when it was not read here any more. */
    function release(): boolean {
      if (!raw.delete(socket)) return false;
      socket.removeListener("data", onData);
      socket.removeListener("end", onEnd);
      socket.removeListener("timeout", onTimeout);
      socket.removeListener("error", onError);
      socket.removeListener("close", release);
      socket.setTimeout(0);
      return true;
    }

    /** The last poll read on this socket: an agent repeats the same bytes until something changes. */
    let last: { bytes: Buffer; poll: StatusPoll } | null = null;
    const recognize = (chunk: Buffer): StatusPoll | null => {
      if (closing || server.maxRequestsPerSocket) return null;
      if (last?.bytes.equals(chunk)) return last.poll;
      const poll = readStatusPoll(chunk, limitsOf(server));
      if (poll) last = { bytes: Buffer.from(chunk), poll };
      return poll;
    };

    function onData(chunk: Buffer) {
      if (state.inFlight) {
        // A client that does not wait for its answer (pipelining): nothing more is read, and this
        // read is put back, until the poll in flight is answered or handed over.
        socket.pause();
        socket.unshift(chunk);
        return;
      }
      const poll = recognize(chunk);
      if (!poll) return handOver(chunk);
      // agent-auth reads the Authorization header and keys its arrival times by the object it gets.
      const outcome = authenticate({ headers: { authorization: poll.authorization } } as FastifyRequest);
      state.inFlight = { chunk, poll, outcome };
      outcome.then(onChecked, onRefused);
    }

    function onChecked(caller: AgentCaller) {
      const checked = state.inFlight!;
      if (!raw.has(socket) || socket.destroyed) return void (state.inFlight = null);
      try {
        const etag = closing ? null : notModifiedEtag(pool, caller.agentId, checked.poll.ifNoneMatch);
        if (etag !== undefined) return answer(checked, etag);
        // Not held by the hub (or no longer trusted): loaded as the route would load it, rather than
        // losing the connection to node:http over an entry that merely expired.
        loadNotModifiedEtag(pool, caller.agentId, checked.poll.ifNoneMatch).then(
          (loaded) => answer(checked, loaded),
          () => answer(checked, null),
        );
      } catch {
        answer(checked, null);
      }
    }

    /** The 304 with `etag`; null: node:http (and the route) answers instead. */
    function answer(checked: InFlight, etag: string | null) {
      state.inFlight = null;
      if (!raw.has(socket) || socket.destroyed) return;
      try {
        if (!etag || closing) return handOver(checked.chunk, checked);
        if (!socket.write(notModified(etag, checked.poll.requestId, server.keepAliveTimeout), "latin1")) {
          // As node:http does: no more requests are read while answers wait to be sent.
          socket.pause();
          socket.once("drain", () => socket.resume());
        } else if (socket.isPaused()) socket.resume();
      } catch {
        passOn(checked);
      }
    }

    /** Refused, or keys cannot be checked: the route answers (401 or 503), reusing this check. */
    function onRefused() {
      const checked = state.inFlight!;
      state.inFlight = null;
      passOn(checked);
    }

    /** Never an unhandled rejection on a socket: whatever failed, node:http answers, or the socket ends. */
    function passOn(checked: InFlight) {
      try {
        handOver(checked.chunk, checked);
      } catch {
        socket.destroy();
      }
    }

    // As node:http does (httpAllowHalfOpen false): the client's end ends the connection, and a
    // request still in flight is not answered.
    function onEnd() {
      release();
      socket.end();
    }

    function onTimeout() {
      if (state.inFlight) return;
      // Idle after an answer: node:http's keep-alive timeout. Before any request: node:http decides.
      if (socket.bytesWritten > 0 && server.keepAliveTimeout) socket.destroy();
      else handOver(null);
    }

    function onError() {
      socket.destroy();
    }

    socket.setTimeout(idleMs(server));
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("timeout", onTimeout);
    socket.on("error", onError);
    socket.on("close", release);
  };

  server.on("connection", (socket: Socket) => {
    if (closing) nodeHttp.call(server, socket);
    else accept(socket);
  });

  return {
    get rawSockets() {
      return raw.size;
    },
    closeIdle() {
      closing = true;
      for (const [socket, state] of raw) if (!state.inFlight) socket.destroy();
    },
    closeAll() {
      closing = true;
      for (const socket of raw.keys()) socket.destroy();
    },
  };
}

interface InFlight {
  chunk: Buffer;
  poll: StatusPoll;
  outcome: Promise<AgentCaller>;
}

interface RawSocket {
  /** The poll whose key is being checked: its answer (or hand-over) is still to come. */
  inFlight: InFlight | null;
}

function limitsOf(server: http.Server): PollLimits {
  // The server's own option, else the process's (--max-http-header-size).
  const maxHeaderSize = (server as { maxHeaderSize?: number }).maxHeaderSize || http.maxHeaderSize;
  const maxFields = server.maxHeadersCount;
  return {
    maxBytes: Math.min(DEFAULT_LIMITS.maxBytes, maxHeaderSize),
    maxFields: Math.min(DEFAULT_LIMITS.maxFields, maxFields || Number.POSITIVE_INFINITY),
  };
}

function idleMs(server: http.Server): number {
  return (server.keepAliveTimeout || 5_000) + KEEP_ALIVE_BUFFER_MS;
}

/** The route's 304, byte for byte as node:http writes it (its Date, Connection and Keep-Alive included). */
function notModified(etag: string, requestId: string | undefined, keepAliveTimeout: number): string {
  const keepAlive = keepAliveTimeout ? `Keep-Alive: timeout=${Math.floor(keepAliveTimeout / 1000)}\r\n` : "";
  return (
    `HTTP/1.1 304 Not Modified\r\nx-request-id: ${requestIdFor(requestId)}\r\ncache-control: no-store\r\netag: ${etag}\r\n` +
    `Date: ${utcDate()}\r\nConnection: keep-alive\r\n${keepAlive}\r\n`
  );
}

let date: string | undefined;

/** node:http's Date: computed at most once a second. */
function utcDate(): string {
  if (date === undefined) {
    const now = new Date();
    date = now.toUTCString();
    setTimeout(() => (date = undefined), 1_000 - now.getMilliseconds()).unref();
  }
  return date;
}
