// The package's declarations under `tsc --strict --noEmit`, with the current TypeScript (7, the
// native compiler) and the last JavaScript one (5.9), both pinned in typescript/package-lock.json:
// ok.ts (every method, option, result and error field) compiles under "bundler" and "nodenext"
// resolution; misuse.ts fails with exactly the errors its `@expect` markers name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const dir = new URL("./typescript/", import.meta.url);
const compilers = {
  "typescript 7": "node_modules/typescript/bin/tsc",
  "typescript 5.9": "node_modules/typescript-5/bin/tsc",
};

function tsc(bin, project) {
  const run = spawnSync(process.execPath, [bin, "-p", project, "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

for (const [name, bin] of Object.entries(compilers)) {
  test(`${name}: the consumer file compiles with --strict (bundler and nodenext resolution)`, () => {
    const version = JSON.parse(readFileSync(new URL(`${bin.replace(/bin\/tsc$/, "")}package.json`, dir), "utf8")).version;
    assert.match(version, name.endsWith("7") ? /^7\./ : /^5\.9\./);
    for (const project of ["tsconfig.json", "tsconfig.nodenext.json"]) {
      const { status, output } = tsc(bin, project);
      assert.equal(status, 0, `${project}:\n${output}`);
      assert.equal(output.trim(), "");
    }
  });

  test(`${name}: each deliberate misuse is the error it should be, and nothing else is`, () => {
    const lines = readFileSync(new URL("misuse.ts", dir), "utf8").split("\n");
    const expected = new Map();
    lines.forEach((text, i) => {
      const marker = text.match(/@expect (TS\d+(?:\|TS\d+)*)/);
      if (marker) expected.set(i + 1, marker[1].split("|"));
    });
    assert.ok(expected.size >= 15, "the misuse file has its markers");

    const { status, output } = tsc(bin, "tsconfig.misuse.json");
    assert.notEqual(status, 0, "misuse.ts must not compile");
    const found = new Map();
    for (const [, file, line, code] of output.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)) {
      assert.equal(file, "misuse.ts", `an error outside misuse.ts:\n${output}`);
      assert.ok(!found.has(Number(line)), `two errors on line ${line}:\n${output}`);
      found.set(Number(line), code);
    }
    assert.deepEqual([...found.keys()].sort((a, b) => a - b), [...expected.keys()], `lines with errors:\n${output}`);
    for (const [line, code] of found) {
      assert.ok(expected.get(line).includes(code), `line ${line}: ${code}, expected ${expected.get(line).join(" or ")}\n${lines[line - 1]}`);
    }
  });
}
