"use client";
// The kill switch: one click, no confirmation — speed matters more than a second thought here.
// The big red button kills gracefully (work under way may finish and report); the small one beside
// it kills forced (keys revoked, everything stops at once), also in one click. On an agent already
// killed gracefully, the only control left is making that kill forced.
import { FormMessage, useConsoleForm } from "@/components/ui/form";
import { killAgentAction } from "./actions";

const RED = "rounded-md font-semibold text-white bg-red-600 hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60";
const RED_OUTLINE =
  "rounded-md font-medium border border-red-600/70 text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-500/10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60";

interface Props {
  agentId: string;
  agentName: string;
  control: "kill" | "upgrade";
  /** "lg" on the agent page, "sm" in the overview's table. */
  size?: "lg" | "sm";
}

export function KillButton({ agentId, agentName, control, size = "lg" }: Props) {
  const { state, pending, onSubmit } = useConsoleForm(killAgentAction);
  const large = size === "lg";
  // In a table of agents the visible "Kill" needs the agent's name to be unambiguous.
  const named = (label: string) => (large ? undefined : `${label} ${agentName}`);
  return (
    <form onSubmit={onSubmit} aria-label={`Kill switch of ${agentName}`} className="flex flex-col items-end gap-1">
      <input type="hidden" name="agentId" value={agentId} />
      <div className="flex items-center gap-1.5">
        {control === "kill" ? (
          <>
            <button
              type="submit"
              name="mode"
              value="graceful"
              disabled={pending}
              aria-label={named("Kill")}
              title="Stop the agent now: nothing new is allowed; work under way may finish and report its outcome."
              className={`${RED} ${large ? "px-4 py-2 text-base" : "px-2.5 py-1 text-xs"}`}
            >
              {pending ? "Killing…" : large ? "Kill agent" : "Kill"}
            </button>
            <button
              type="submit"
              name="mode"
              value="forced"
              disabled={pending}
              aria-label={named("Force-kill")}
              title="Kill and revoke every key of the agent: everything stops at once, nothing can report back."
              className={`${RED_OUTLINE} ${large ? "px-2.5 py-1.5 text-sm" : "px-2 py-1 text-xs"}`}
            >
              Force-kill
            </button>
          </>
        ) : (
          <button
            type="submit"
            name="mode"
            value="forced"
            disabled={pending}
            aria-label={named("Make forced")}
            title="Revoke every key of the agent as well: work still under way can no longer report."
            className={`${RED_OUTLINE} ${large ? "px-2.5 py-1.5 text-sm" : "px-2 py-1 text-xs"}`}
          >
            {pending ? "Working…" : "Make the kill forced"}
          </button>
        )}
      </div>
      <FormMessage state={state} className="text-xs" />
    </form>
  );
}
