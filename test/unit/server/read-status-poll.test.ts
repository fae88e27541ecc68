// The connection-level path may answer only what it fully understands: one complete, strictly
// well-formed plain poll per read. Every other shape — malformed, ambiguous, partial, two requests,
// anything node:http might read differently — must come back null (node:http reads it instead).
import { describe, expect, it } from "vitest";
import { readStatusPoll } from "@/lib/server/read-status-poll";

const LINE = "GET /api/v1/agent/status HTTP/1.1\r\n";
const FIELDS = ["Host: 127.0.0.1:3000", "Authorization: Bearer mdt_key", 'If-None-Match: "7"'];
const poll = (fields: string[] = FIELDS, line = LINE, tail = "\r\n") => Buffer.from(`${line}${fields.map((field) => `${field}\r\n`).join("")}${tail}`, "latin1");

describe("readStatusPoll accepts", () => {
  it.each<[string, Buffer, { authorization: string; ifNoneMatch: string; requestId?: string }]>([
    ["the plain poll", poll(), { authorization: "Bearer mdt_key", ifNoneMatch: '"7"' }],
    ["field names in any case, values with their optional whitespace stripped", poll(["host:x", "AUTHORIZATION:\t Bearer k \t", "if-none-match:   W/\"7\", \"8\"  "]), { authorization: "Bearer k", ifNoneMatch: 'W/"7", "8"' }],
    ["Connection: keep-alive (autocannon sends it), in any case", poll([...FIELDS, "Connection: Keep-Alive"]), { authorization: "Bearer mdt_key", ifNoneMatch: '"7"' }],
    ["an X-Request-Id, handed on as sent", poll([...FIELDS, "X-Request-Id: poll-42"]), { authorization: "Bearer mdt_key", ifNoneMatch: '"7"', requestId: "poll-42" }],
    ["fields it does not read, repeated or not", poll([...FIELDS, "Accept: */*", "Accept: text/plain", "User-Agent: sdk/1.0", "Keep-Alive: timeout=5"]), { authorization: "Bearer mdt_key", ifNoneMatch: '"7"' }],
    ["an empty Host (node:http asks only that there be one)", poll(["Host:", ...FIELDS.slice(1)]), { authorization: "Bearer mdt_key", ifNoneMatch: '"7"' }],
  ])("%s", (_name, chunk, expected) => {
    expect(readStatusPoll(chunk)).toEqual({ requestId: undefined, ...expected });
  });
});

describe("readStatusPoll hands everything else to node:http", () => {
  const without = (name: string) => FIELDS.filter((field) => !field.toLowerCase().startsWith(name));
  it.each<[string, Buffer]>([
    // Request line: method, target, version, form.
    ["HEAD", poll(FIELDS, "HEAD /api/v1/agent/status HTTP/1.1\r\n")],
    ["POST", poll(FIELDS, "POST /api/v1/agent/status HTTP/1.1\r\n")],
    ["lower-case method", poll(FIELDS, "get /api/v1/agent/status HTTP/1.1\r\n")],
    ["HTTP/1.0", poll(FIELDS, "GET /api/v1/agent/status HTTP/1.0\r\n")],
    ["HTTP/2.0 text", poll(FIELDS, "GET /api/v1/agent/status HTTP/2.0\r\n")],
    ["a query string (?wait=)", poll(FIELDS, "GET /api/v1/agent/status?wait=30 HTTP/1.1\r\n")],
    ["an empty query string", poll(FIELDS, "GET /api/v1/agent/status? HTTP/1.1\r\n")],
    ["a fragment", poll(FIELDS, "GET /api/v1/agent/status#x HTTP/1.1\r\n")],
    ["a trailing slash", poll(FIELDS, "GET /api/v1/agent/status/ HTTP/1.1\r\n")],
    ["another path", poll(FIELDS, "GET /api/v1/agent/statusx HTTP/1.1\r\n")],
    ["a percent-encoded path", poll(FIELDS, "GET /api/v1/agent/%73tatus HTTP/1.1\r\n")],
    ["absolute form", poll(FIELDS, "GET http://127.0.0.1:3000/api/v1/agent/status HTTP/1.1\r\n")],
    ["two spaces in the request line", poll(FIELDS, "GET  /api/v1/agent/status HTTP/1.1\r\n")],
    ["a leading empty line", poll(FIELDS, `\r\n${LINE}`)],
    ["a bare LF after the request line", poll(FIELDS, "GET /api/v1/agent/status HTTP/1.1\n")],
    // Framing: partial, extra, or bodies.
    ["no end of head", Buffer.from(`${LINE}${FIELDS.join("\r\n")}\r\n`)],
    ["half of the end of head", Buffer.from(`${LINE}${FIELDS.join("\r\n")}\r\n\r`)],
    ["the request line alone", Buffer.from(LINE)],
    ["nothing but the end of head", poll([])],
    ["bytes after the head (a body)", poll(FIELDS, LINE, "\r\nx")],
    ["two pipelined polls", Buffer.concat([poll(), poll()])],
    ["a poll and the start of another", Buffer.concat([poll(), Buffer.from("GET /")])],
    ["bare LF line ends", Buffer.from(`${LINE}${FIELDS.join("\n")}\n\n`)],
    ["a bare LF inside the head", poll([...FIELDS.slice(0, 2), `${FIELDS[2]}\nX-Evil: 1`])],
    ["a bare CR inside a value", poll([...FIELDS, "X-Note: a\rb"])],
    ["larger than 8 KiB", poll([...FIELDS, `X-Pad: ${"a".repeat(8 * 1024)}`])],
    ["more fields than it reads", poll([...FIELDS, ...Array.from({ length: 70 }, (_, index) => `X-${index}: 1`)])],
    // Fields that change the meaning of the request or the connection.
    ["Content-Length: 0", poll([...FIELDS, "Content-Length: 0"])],
    ["Content-Length with a body", poll([...FIELDS, "Content-Length: 2"], LINE, "\r\n{}")],
    ["Transfer-Encoding: chunked", poll([...FIELDS, "Transfer-Encoding: chunked"], LINE, "\r\n0\r\n\r\n")],
    ["Expect: 100-continue", poll([...FIELDS, "Expect: 100-continue"])],
    ["Upgrade: websocket", poll([...FIELDS, "Connection: Upgrade", "Upgrade: websocket"])],
    ["Connection: close", poll([...FIELDS, "Connection: close"])],
    ["Connection: keep-alive, Upgrade", poll([...FIELDS, "Connection: keep-alive, Upgrade"])],
    ["TE: trailers", poll([...FIELDS, "TE: trailers"])],
    // Fields it reads: missing, empty or repeated.
    ["no Authorization", poll(without("authorization"))],
    ["no If-None-Match", poll(without("if-none-match"))],
    ["an empty If-None-Match", poll([...without("if-none-match"), "If-None-Match:  "])],
    ["no Host", poll(without("host"))],
    ["two Authorization fields, even equal", poll([...FIELDS, "Authorization: Bearer mdt_key"])],
    ["two Authorization fields, different", poll([...FIELDS, "authorization: Bearer other"])],
    ["two If-None-Match fields", poll([...FIELDS, 'If-None-Match: "8"'])],
    ["two Host fields", poll([...FIELDS, "Host: elsewhere"])],
    ["two X-Request-Id fields", poll([...FIELDS, "X-Request-Id: a", "X-Request-Id: b"])],
    ["two Connection fields", poll([...FIELDS, "Connection: keep-alive", "Connection: keep-alive"])],
    // Malformed fields.
    ["an obs-fold continuation line", poll([...FIELDS, "X-Folded: a", " b"])],
    ["an obs-fold continuing Authorization", poll(["Host: x", "Authorization: Bearer", "\tmdt_key", 'If-None-Match: "7"'])],
    ["whitespace before the colon", poll(["Host: x", "Authorization : Bearer mdt_key", 'If-None-Match: "7"'])],
    ["a field without a colon", poll([...FIELDS, "X-Nothing"])],
    ["an empty field name", poll([...FIELDS, ": value"])],
    ["a field name with a space", poll([...FIELDS, "X Bad: 1"])],
    ["a field name with a non-token character", poll([...FIELDS, "X(Bad): 1"])],
    ["a NUL in a value", poll([...FIELDS, "X-Note: a\u0000b"])],
    ["a control character in a value", poll([...FIELDS, "X-Note: a\u0001b"])],
    ["DEL in a value", poll([...FIELDS, "X-Note: a\u007fb"])],
    ["obs-text (a byte above 0x7F) in a value", poll([...FIELDS, "X-Note: caf\u00e9"])],
    ["UTF-8 in the Authorization", Buffer.from(`${LINE}Host: x\r\nAuthorization: Bearer kéy\r\nIf-None-Match: "7"\r\n\r\n`, "utf8")],
  ])("%s", (_name, chunk) => {
    expect(readStatusPoll(chunk)).toBeNull();
  });

  it("refuses what node:http itself would refuse or cut: its header size and field count limits", () => {
    expect(readStatusPoll(poll(), { maxBytes: 64, maxFields: 64 })).toBeNull();
    expect(readStatusPoll(poll([...FIELDS, "Accept: */*"]), { maxBytes: 8192, maxFields: 3 })).toBeNull();
    expect(readStatusPoll(poll(), { maxBytes: 8192, maxFields: 3 })).not.toBeNull();
  });
});
