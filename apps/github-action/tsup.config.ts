import { defineConfig } from "tsup";

// GitHub runs `node dist/index.js` in a checkout of this folder, with no `npm install`: the action
// is one file holding every module it imports. Not minified, so that whoever pins the action can
// read what it does with their secrets.
export default defineConfig({
  entry: { index: "src/main.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  bundle: true,
  splitting: false,
  noExternal: [/.*/],
  clean: true,
  esbuildOptions(options) {
    options.conditions = ["@hush/source"];
  },
});
