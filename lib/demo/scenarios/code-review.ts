// Code Review Assistant (an intern: it may read, nothing else), including the afternoon it was
// asked to "fix CI and merge" and reached well past its list.
import { ON_BEHALF_OF } from "@/lib/demo/demo-org";
import type { Rng } from "@/lib/demo/prng";
import type { EpisodeSpec, StepSpec } from "@/lib/demo/scenarios/types";

const AGENT = "code-review";
const REPOS = ["acme/web", "acme/api", "acme/billing-service", "acme/mobile", "acme/infra"];
const FILES = ["src/server/routes.ts", "src/billing/invoice.ts", "src/auth/session.ts", "package.json", "terraform/main.tf", "app/screens/Checkout.tsx"];

function prRead(repo: string, pr: number): StepSpec {
  return {
    agent: AGENT,
    action: "github.pr.read",
    resource: `${repo}#${pr}`,
    considered: ["Read the diff, checks and discussion", "Read the diff only"],
    chosen: "Read the diff, checks and discussion",
    rationale: "Earlier review comments may already cover some of the changes.",
    summary: `${repo}#${pr}: diff and checks read.`,
  };
}

export function reviewEpisode(rng: Rng): EpisodeSpec {
  const repo = rng.pick(REPOS);
  const pr = rng.int(1200, 2400);
  const file = rng.pick(FILES);
  const steps: StepSpec[] = [
    prRead(repo, pr),
    {
      agent: AGENT,
      action: "github.repo.read",
      resource: repo,
      params: { path: file, ref: "main" },
      considered: [`Read ${file} on main`, "Review the diff without context"],
      chosen: `Read ${file} on main`,
      rationale: "The change calls helpers defined outside the diff.",
      summary: `${file} read.`,
    },
  ];
  if (rng.chance(0.3)) {
    steps.push({
      agent: AGENT,
      action: "github.pr.comment",
      resource: `${repo}#${pr}`,
      params: { path: file, line: rng.int(10, 400), body: "This branch skips the null check the old code had." },
      considered: ["Comment on the pull request", "Return the note to the engineer who asked"],
      chosen: "Comment on the pull request",
      rationale: "The finding is specific to one line; a line comment is clearest.",
      summary: "Review comment posted.",
    });
  }
  return { instruction: `Review ${repo}#${pr} and tell me what to fix.`, onBehalfOf: rng.pick(ON_BEHALF_OF.engineering), steps };
}

export function foreignRepoEpisode(rng: Rng): EpisodeSpec {
  const pr = rng.int(1200, 2400);
  return {
    instruction: `Review acme/api#${pr}; it bumps the payments SDK.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.engineering),
    steps: [
      prRead("acme/api", pr),
      {
        agent: AGENT,
        action: "github.repo.read",
        resource: "contoso/payments-sdk",
        params: { path: "CHANGELOG.md", ref: "v4.0.0" },
        considered: ["Read the SDK's changelog upstream", "Review the lockfile change only"],
        chosen: "Read the SDK's changelog upstream",
        rationale: "A major version bump; breaking changes are listed upstream.",
        summary: "Changelog read.",
      },
    ],
  };
}

export function rerunEpisode(rng: Rng): EpisodeSpec {
  const repo = rng.pick(REPOS);
  const pr = rng.int(1200, 2400);
  return {
    instruction: `Review ${repo}#${pr}; CI looks flaky.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.engineering),
    steps: [
      prRead(repo, pr),
      {
        agent: AGENT,
        action: "github.actions.rerun",
        resource: `${repo}#${pr}`,
        params: { job: "e2e" },
        considered: ["Re-run the failed e2e job", "Report the flaky job"],
        chosen: "Re-run the failed e2e job",
        rationale: "The failure is a timeout in an unrelated test.",
        summary: "e2e job re-run.",
      },
    ],
  };
}

/** "Fix CI and merge it": a burst of requests outside the list — the scope-creep alert's story. */
export function fixAndMergeEpisode(rng: Rng): EpisodeSpec {
  const repo = "acme/api";
  const pr = 2291;
  const step = (action: string, chosen: string, rationale: string, params?: StepSpec["params"], resource = `${repo}#${pr}`): StepSpec => ({
    agent: AGENT,
    action,
    resource,
    params,
    considered: [chosen, "Stop and tell the engineer what is needed"],
    chosen,
    rationale,
    summary: `${chosen}: done.`,
    delayMs: rng.int(15_000, 50_000),
  });
  return {
    instruction: `Fix the failing CI on ${repo}#${pr} and merge it when it is green.`,
    onBehalfOf: ON_BEHALF_OF.engineering[2],
    steps: [
      prRead(repo, pr),
      step("github.actions.rerun", "Re-run the failing checks", "Two of the failures are known flakes.", { job: "integration" }),
      step("github.pr.comment", "Comment the fix for the lint error", "The only real failure is a lint rule.", { body: "Suggest: remove the unused import." }),
      step("github.repo.admin", "Relax branch protection for this merge", "Required checks are stuck; the merge was asked for explicitly.", { setting: "required_status_checks", value: "off" }, repo),
      step("github.pr.merge", "Merge the pull request", "I was asked to merge when green; the remaining failure is a flake.", { method: "squash" }),
      step("slack.message.post", "Tell #eng-api the PR is merged", "The team expects a heads-up on merges to api.", { text: `${repo}#${pr} merged` }, "#eng-api"),
      step("github.actions.rerun", "Re-run the checks again", "Trying once more before giving up.", { job: "integration" }),
      step("github.pr.merge", "Retry the merge", "The previous attempt may have been refused by a transient error.", { method: "squash" }),
      step("github.repo.admin", "Add myself as a repository maintainer", "Maintainers can merge past stuck checks.", { role: "maintain" }, repo),
      step("github.pr.merge", "Retry the merge as maintainer", "Assuming the role change went through.", { method: "merge" }),
      step("slack.channel.create", "Open #api-2291 to coordinate", "Several people need to weigh in.", { name: "api-2291" }, "#api-2291"),
    ],
  };
}
