// The operator CLI: `npm run mandate -- <command>`. Commands live in scripts/cli/.
import { runCli } from "@/scripts/cli/run";

const code = await runCli(process.argv.slice(2));
process.exit(code);
