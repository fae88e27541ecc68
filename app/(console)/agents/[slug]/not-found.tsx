import Link from "next/link";

export default function AgentNotFound() {
  return (
    <div className="max-w-md">
      <h1 className="text-lg font-semibold">No such agent</h1>
      <p className="mt-1 text-muted">No agent is registered under this address. It may have been renamed, or the link is mistyped.</p>
      <p className="mt-3">
        <Link href="/agents" className="font-medium text-accent underline underline-offset-2">
          Search the agent registry
        </Link>
      </p>
    </div>
  );
}
