// The agent API's route list, in the order the OpenAPI document shows them. New routes are
// appended to `documented`; the OpenAPI route documents them all, itself included.
import "server-only";
import type { Route } from "@/lib/http/dataplane/define-route";
import { agentRoute } from "@/lib/http/dataplane/routes/agent";
import { agentEventsRoute } from "@/lib/http/dataplane/routes/agent-events";
import { agentStatusRoute } from "@/lib/http/dataplane/routes/agent-status";
import { checkpointStatusRoute } from "@/lib/http/dataplane/routes/checkpoints";
import { decisionsRoute } from "@/lib/http/dataplane/routes/decisions";
import { delegationRoute } from "@/lib/http/dataplane/routes/delegations";
import { drillAckRoute } from "@/lib/http/dataplane/routes/drills";
import { healthRoute } from "@/lib/http/dataplane/routes/health";
import { openApiRoute } from "@/lib/http/dataplane/routes/openapi";
import { outcomeRoute } from "@/lib/http/dataplane/routes/outcomes";

const documented: readonly Route[] = [
  healthRoute,
  agentRoute,
  agentStatusRoute,
  agentEventsRoute,
  drillAckRoute,
  decisionsRoute,
  checkpointStatusRoute,
  outcomeRoute,
  delegationRoute,
];

export const routes: readonly Route[] = [...documented, openApiRoute(documented)];
