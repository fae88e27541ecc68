// The demo's sign-ins and agent keys, printed once at seeding (they are stored only hashed).
export interface DemoSecrets {
  people: Array<{ role: string; email: string; name: string; password: string }>;
  agentKeys: Array<{ agent: string; key: string }>;
}

export function formatDemoSignIns({ people, agentKeys }: DemoSecrets): string {
  const width = Math.max(...people.map((p) => p.email.length), 5);
  const lines = [
    "",
    "Demo organisation created. Sign in with one of these (shown once; stored only hashed):",
    "",
    `  ${"role".padEnd(18)}${"e-mail".padEnd(width + 2)}password`,
    ...people.map((p) => `  ${p.role.padEnd(18)}${p.email.padEnd(width + 2)}${p.password}`),
  ];
  if (agentKeys.length > 0) {
    lines.push("", "Agent API keys (Authorization: Bearer <key>):", "");
    lines.push(...agentKeys.map((k) => `  ${k.agent.padEnd(24)}${k.key}`));
  }
  lines.push("");
  return lines.join("\n");
}
