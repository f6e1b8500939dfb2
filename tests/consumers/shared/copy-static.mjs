// The "build" of the fixtures that use no tool: the page's own files, the shared exercise, and
// the installed package copied as a user would copy it next to their page (vendor/).
import { cpSync, rmSync, mkdirSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
for (const file of process.argv.slice(2)) cpSync(file, `dist/${file}`);
cpSync(new URL("./exercise.js", import.meta.url), "dist/exercise.js");
cpSync("node_modules/smm-panel-sdk", "dist/vendor/smm-panel-sdk", { recursive: true, dereference: true });
