#!/usr/bin/env node
// Entry point: checks the Node version first, because an older Node cannot even parse the TypeScript CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `graceful: needs Node >= 22.18, this is ${process.version}. From a clone, run it as \`npm run graceful -- ...\` ` +
      'or `npx graceful ...` inside the project (both use its Node 24 dev dependency), or put <clone>/node_modules/.bin first on PATH.\n',
  );
  process.exit(2);
}
await import('./graceful.ts');
