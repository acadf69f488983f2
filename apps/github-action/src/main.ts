import { runAction } from "./run-action.js";

process.exitCode = await runAction(process.env, process.stdout);
