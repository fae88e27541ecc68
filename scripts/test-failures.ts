// The names of the tests that failed, read from each tier's report, so the last lines of a
// run (all a CI log tail may keep) say which tests to look at, not only how many.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

interface VitestReport {
  testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string }[] }[];
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; file: string; line: number; tests: { status: string }[] }[];
  suites?: PlaywrightSuite[];
}

const relative = (file: string) => path.relative(process.cwd(), file) || file;

export function vitestFailures(file: string): string[] {
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport;
  return report.testResults.flatMap((result) => {
    const failed = result.assertionResults.filter((test) => test.status === "failed").map((test) => `${relative(result.name)} › ${test.fullName}`);
    // A file that failed before any of its tests ran (an import error, a failing hook) has no failed assertion.
    if (failed.length === 0 && result.status === "failed") return [`${relative(result.name)} › ${result.message?.split("\n")[0] ?? "the file failed"}`];
    return failed;
  });
}

export function tapFailures(file: string): string[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((match) => match[1]!.trim());
}

export function playwrightFailures(file: string): string[] {
  if (!existsSync(file)) return [];
  const { suites } = JSON.parse(readFileSync(file, "utf8")) as { suites: PlaywrightSuite[] };
  const found: string[] = [];
  const walk = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      if (spec.tests.some((test) => test.status === "unexpected" || test.status === "flaky")) {
        found.push(`${spec.file}:${spec.line} › ${[...titles, spec.title].join(" › ")}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.file ? titles : [...titles, child.title]);
  };
  for (const suite of suites) walk(suite, []);
  return found;
}
