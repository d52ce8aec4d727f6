#!/usr/bin/env node
// Runs the built CLI (`npm run build -w @toad/testkit` first).
import { runCli } from "../dist/cli.js";

await runCli(process.argv.slice(2));
