#!/usr/bin/env node
// The `gradnote` command: the CLI is bundled into dist/ by `npm run build` (run by npm install).
import "../dist/cli.mjs";
