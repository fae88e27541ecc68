// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the agent API, generated once from the
// route list it is given (which includes this route) and served as cached JSON.
import "server-only";
import { z } from "zod";
import { defineRoute, type Route } from "@/lib/http/dataplane/define-route";
import { buildOpenApiDocument } from "@/lib/http/dataplane/openapi";

const openApiDocument = z
  .looseObject({
    openapi: z.literal("3.1.0"),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .describe("An OpenAPI 3.1 document.");

export function openApiRoute(documented: readonly Route[]): Route {
  let json = "";
  const route = defineRoute({
    method: "GET",
    url: "/openapi.json",
    summary: "The OpenAPI 3.1 document of this API",
    tags: ["system"],
    auth: "none",
    responses: { 200: openApiDocument },
    handler: () => ({ status: 200, json, headers: { "cache-control": "public, max-age=300" } }),
  });
  json = JSON.stringify(buildOpenApiDocument([...documented, route]));
  return route;
}
