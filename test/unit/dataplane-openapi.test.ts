// The OpenAPI generator and the one-port dispatch rule: pure functions, no server, no database.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { buildOpenApiDocument } from "@/lib/http/dataplane/openapi";
import { isDataPlanePath } from "@/lib/server/http-server";

const reasoning = z.object({ instruction: z.string().min(1) }).meta({ id: "Reasoning" });

const outcome = defineRoute({
  method: "POST",
  url: "/decisions/:id/outcome",
  summary: "Report what happened",
  tags: ["decisions"],
  auth: "agent",
  params: z.object({ id: z.uuid() }),
  query: z.object({ wait: z.coerce.number().int().max(30).optional().describe("Seconds to wait.") }),
  body: z.object({ status: z.enum(["succeeded", "failed"]), reasoning }),
  responses: { 200: z.object({ ok: z.boolean(), reasoning }) },
  handler: () => ({ status: 200, body: { ok: true, reasoning: { instruction: "x" } } }),
});

const ping = defineRoute({
  method: "GET",
  url: "/ping",
  summary: "Ping",
  auth: "none",
  responses: { 200: z.object({ pong: z.literal(true) }) },
  handler: () => ({ status: 200, body: { pong: true } }),
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument([outcome, ping]) as Json;
  const op = doc.paths["/decisions/{id}/outcome"].post as Json;

  it("turns Fastify path syntax into OpenAPI templates and derives operation ids", () => {
    expect(Object.keys(doc.paths)).toEqual(["/decisions/{id}/outcome", "/ping"]);
    expect(op.operationId).toBe("postDecisionsByIdOutcome");
    expect(doc.paths["/ping"].get.operationId).toBe("getPing");
  });

  it("lists path and query parameters with their requiredness and descriptions", () => {
    expect(op.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "string", format: "uuid" }) },
      { name: "wait", in: "query", required: false, description: "Seconds to wait.", schema: expect.objectContaining({ type: "integer", maximum: 30 }) },
    ]);
  });

  it("applies bearerAuth to agent routes only and documents their problems", () => {
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/ping"].get.security).toBeUndefined();
    expect(Object.keys(op.responses).sort()).toEqual(["200", "400", "401", "413", "415", "default"]);
    expect(Object.keys(doc.paths["/ping"].get.responses).sort()).toEqual(["200", "default"]);
    expect(op.responses["401"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
  });

  it("hoists schemas with an id into components and points references at them", () => {
    expect(doc.components.schemas.Reasoning).toMatchObject({ type: "object", required: ["instruction"], additionalProperties: false });
    const response = op.responses["200"].content["application/json"].schema;
    expect(response.properties.reasoning).toEqual({ $ref: "#/components/schemas/Reasoning" });
    // As a request body zod accepts (and strips) unknown keys, so the input form is its own component.
    const body = op.requestBody.content["application/json"].schema;
    expect(body.properties.reasoning).toEqual({ $ref: "#/components/schemas/ReasoningInput" });
    expect(doc.components.schemas.ReasoningInput.additionalProperties).toBeUndefined();
    expect(body.$schema).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain("$defs");
  });

  it("refuses two different schemas under one id", () => {
    const other = defineRoute({
      method: "GET",
      url: "/other",
      summary: "Other",
      auth: "none",
      responses: { 200: z.object({ n: z.number() }).meta({ id: "Reasoning" }) },
      handler: () => ({ status: 200, body: { n: 1 } }),
    });
    expect(() => buildOpenApiDocument([outcome, other])).toThrow(/share the id "Reasoning"/);
  });
});

describe("isDataPlanePath", () => {
  it.each([
    ["/api/v1", true],
    ["/api/v1/", true],
    ["/api/v1/health", true],
    ["/api/v1?x=1", true],
    ["/api/v1/../admin", true],
    ["/api/v10", false],
    ["/api/v1x/health", false],
    ["/api/v", false],
    ["/API/V1/health", false],
    ["/api/ping", false],
    ["/", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (url, expected) => {
    expect(isDataPlanePath(url)).toBe(expected);
  });
});
