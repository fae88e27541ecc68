// Builds the OpenAPI 3.1 document of the agent API from the declared routes' zod schemas
// (zod 4's own JSON Schema output, draft 2020-12, which is OpenAPI 3.1's dialect).
import "server-only";
import { STATUS_CODES } from "node:http";
import { z } from "zod";
import { APP_VERSION } from "@/lib/config/env";
import { ERRORS, type ErrorCode, type Problem } from "@/lib/http/errors";
import { API_PREFIX, type Route } from "@/lib/http/dataplane/define-route";

type JsonSchema = Record<string, unknown>;
type Components = Record<string, JsonSchema>;

const problemSchema = z
  .object({
    type: z.string().describe("URI naming the kind of problem."),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("What went wrong with this request, for a human."),
    code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]).describe("Stable machine-readable code."),
    requestId: z.string().optional().describe("Quote it when you report a problem."),
    errors: z
      .array(z.object({ path: z.string().describe('Dotted path, e.g. "reasoning.instruction".'), message: z.string() }))
      .optional()
      .describe("The invalid fields, for validation errors."),
  })
  .describe("An RFC 9457 problem document (application/problem+json).") satisfies z.ZodType<Problem>;

const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };

export function buildOpenApiDocument(routes: readonly Route[]): JsonSchema {
  const components: Components = { Problem: toJsonSchema(problemSchema, "output", {}) };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationFor(route, components);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Mandate agent API",
      version: APP_VERSION,
      description: "Ask before acting, wait for humans, report outcomes, and learn of a kill. Errors are RFC 9457 problem documents.",
    },
    servers: [{ url: API_PREFIX }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "The agent's key: `Authorization: Bearer <agent key>`." },
      },
    },
  };
}

function operationFor(route: Route, components: Components): JsonSchema {
  const { query, params, body, responses } = route.schemas;
  const responseObjects: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(responses)) {
    responseObjects[status] = {
      description: STATUS_CODES[Number(status)] ?? status,
      content: { "application/json": { schema: toJsonSchema(schema, "output", components) } },
    };
  }
  const problem = (status: number, description: string) => {
    responseObjects[String(status)] ??= { description, content: { "application/problem+json": { schema: PROBLEM_REF } } };
  };
  if (query || params || body) problem(400, "Malformed JSON or invalid fields (see `errors`).");
  if (route.auth === "agent") problem(401, "Missing, unknown, expired or revoked agent key.");
  if (body) {
    problem(413, "The body is larger than 64 KiB.");
    problem(415, "The body is not application/json.");
  }
  responseObjects.default = { description: "Any other error.", content: { "application/problem+json": { schema: PROBLEM_REF } } };

  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: [...route.tags] } : {}),
    ...(route.auth === "agent" ? { security: [{ bearerAuth: [] }] } : {}),
    parameters: [...parametersFor(params, "path", components), ...parametersFor(query, "query", components)],
    ...(body
      ? { requestBody: { required: true, content: { "application/json": { schema: toJsonSchema(body, "input", components) } } } }
      : {}),
    responses: responseObjects,
  };
}

function parametersFor(schema: z.ZodObject | undefined, where: "path" | "query", components: Components): JsonSchema[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, "input", components);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

/** "GET /checkpoints/:id" → "getCheckpointsById". */
function operationId(route: Route): string {
  const words = route.url
    .split("/")
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(":") ? ["by", segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)));
  return route.method.toLowerCase() + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

/**
 * zod puts schemas that carry an id (`.meta({ id })`) under `$defs`; in an OpenAPI document they
 * belong in components.schemas, so they are hoisted there and their references rewritten. The
 * input (request) form of such a schema can differ from its output form (defaults, unknown keys);
 * it then gets its own component, `<id>Input`.
 */
function toJsonSchema(schema: z.ZodType, io: "input" | "output", components: Components): JsonSchema {
  const { $defs, ...rest } = convert(schema, io);
  const defs = ($defs ?? {}) as Components;
  const outputDefs = io === "input" && Object.keys(defs).length > 0 ? ((convert(schema, "output").$defs ?? {}) as Components) : {};
  const names = new Map(
    Object.entries(defs).map(([id, definition]) => [id, io === "input" && !sameJson(definition, outputDefs[id]) ? `${id}Input` : id]),
  );
  for (const [id, definition] of Object.entries(defs)) {
    const name = names.get(id)!;
    const hoisted = rewriteRefs(definition, names) as JsonSchema;
    if (components[name] && !sameJson(components[name], hoisted)) {
      throw new Error(`OpenAPI: two different schemas share the id "${id}".`);
    }
    components[name] = hoisted;
  }
  return rewriteRefs(rest, names) as JsonSchema;
}

function convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // The dialect is declared once for the whole document (jsonSchemaDialect), not per schema.
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key !== "$ref" || typeof inner !== "string" || !inner.startsWith("#/$defs/")) return [key, rewriteRefs(inner, names)];
      const id = inner.slice("#/$defs/".length);
      return [key, `#/components/schemas/${names.get(id) ?? id}`];
    }),
  );
}
