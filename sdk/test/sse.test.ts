import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SseParser, type SseMessage } from "../src/sse.ts";

function parse(chunks: readonly string[], lastEventId = "") {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ message: (message) => messages.push(message), comment: (text) => comments.push(text), retry: (ms) => retries.push(ms) }, lastEventId);
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments, retries, lastEventId: parser.eventId };
}

describe("SseParser", () => {
  test("events with names, ids and multi-line data", () => {
    const { messages, lastEventId } = parse(["id: 7\nevent: status\ndata: {\"state\":\ndata: \"killed\"}\n\n", "data: plain\n\n"]);
    assert.deepEqual(messages, [
      { event: "status", data: '{"state":\n"killed"}', lastEventId: "7" },
      { event: "message", data: "plain", lastEventId: "7" },
    ]);
    assert.equal(lastEventId, "7");
  });

  test("a message split anywhere across chunks, CRLF and lone CR line ends", () => {
    const whole = "event: status\r\ndata: one\r\rdata:two\r\n\r\n";
    for (let cut = 1; cut < whole.length; cut++) {
      const { messages } = parse([whole.slice(0, cut), whole.slice(cut)]);
      assert.deepEqual(
        messages.map((message) => [message.event, message.data]),
        [["status", "one"], ["message", "two"]],
        `cut at ${cut}`,
      );
    }
  });

  test("comments are heartbeats; retry is read; a BOM and unknown fields are ignored", () => {
    const { messages, comments, retries } = parse(["\uFEFF: heartbeat\n\nretry: 1500\nfoo: bar\nretry: soon\n\n"]);
    assert.deepEqual(messages, []);
    assert.deepEqual(comments, ["heartbeat"]);
    assert.deepEqual(retries, [1500]);
  });

  test("an id without data updates the last event id but dispatches nothing; ids with NUL are ignored", () => {
    const { messages, lastEventId } = parse(["id: 3\n\nid: bad\0\n\n"], "1");
    assert.deepEqual(messages, []);
    assert.equal(lastEventId, "3");
  });

  test("an unfinished message at the end of the stream is not dispatched", () => {
    const { messages } = parse(["data: half"]);
    assert.deepEqual(messages, []);
  });
});
