// What the CLI bundle (build-cli.mjs) and the Action bundle (build-action.mjs) share: an ES module
// for Node 20 with its dependencies inside.
export const nodeEsmBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies call require() for node built-ins; an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __keywardenCreateRequire } from 'node:module';\nconst require = __keywardenCreateRequire(import.meta.url);",
  },
};
