"use server";
// The import page's two steps. "Show changes" is a dry run; "Apply" sends the same text with the
// hash of the diff that was shown, and the use case refuses if the diff is no longer that one.
import { refresh } from "next/cache";
import { z } from "zod";
import { importAgents } from "@/lib/agents/import-agents";
import { consoleAction } from "@/lib/auth/action";

const documentInput = z.object({
  text: z.string().refine((text) => text.trim() !== "", "Paste a document or choose a file."),
  format: z.enum(["yaml", "json"]).optional(),
});

export const previewImport = consoleAction("agents.manage", documentInput, async ({ input, person, actor }) => ({
  data: await importAgents(person, actor, { ...input, dryRun: true }),
}));

export const applyImport = consoleAction(
  "agents.manage",
  documentInput.extend({ diffHash: z.string().regex(/^[0-9a-f]{64}$/, "Show the changes first.") }),
  async ({ input, person, actor }) => {
    const result = await importAgents(person, actor, { text: input.text, format: input.format, dryRun: false, expectedDiffHash: input.diffHash });
    refresh();
    const { create, update, unchanged } = result.summary;
    return { message: `Imported: ${create} created, ${update} updated, ${unchanged} unchanged.`, data: result };
  },
);
