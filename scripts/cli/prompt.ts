// Terminal prompts for the CLI. Questions go to stderr so that stdout stays clean for results;
// passwords are read in raw mode and never echoed.
import { createInterface } from "node:readline/promises";
import { CancelledError } from "@/scripts/cli/command";

export function interactive(): boolean {
  return process.stdin.isTTY === true;
}

export async function ask(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const cancel = new Promise<never>((_, reject) => reader.once("SIGINT", () => reject(new CancelledError("Cancelled."))));
  try {
    return (await Promise.race([reader.question(question), cancel])).trim();
  } finally {
    reader.close();
  }
}

export function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    let escape = false;
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (escape) {
          // Skip the rest of an arrow-key or similar escape sequence.
          if (/[A-Za-z~]/.test(char)) escape = false;
          continue;
        }
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new CancelledError("Cancelled."));
        if (char === "\u007f" || char === "\b") value = Array.from(value).slice(0, -1).join("");
        else if (char === "\u001b") escape = true;
        else if (char >= " ") value += char;
      }
    };
    input.on("data", onData);
  });
}
