// The agent API's route list, in the order the OpenAPI document shows them. New routes are
// appended to `documented`; the OpenAPI route documents them all, itself included.
import "server-only";
import type { Route } from "@/lib/http/dataplane/define-route";
import { healthRoute } from "@/lib/http/dataplane/routes/health";
import { openApiRoute } from "@/lib/http/dataplane/routes/openapi";

const documented: readonly Route[] = [healthRoute];

export const routes: readonly Route[] = [...documented, openApiRoute(documented)];
