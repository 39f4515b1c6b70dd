#!/usr/bin/env node
/**
 * The floor for any Node.js scanner on this machine: walk the tree, read every file and search it
 * for one literal, on one thread, with nothing else (no ignore files, no detection, no report).
 * Printed beside keywarden and ripgrep so the gap between Node and ripgrep is measured, not guessed.
 *   node bench/lib/node-floor.js <dir>   -> prints "<files> <files containing AKIA>"
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

let files = 0;
let hits = 0;
const stack = [process.argv[2] ?? '.'];
while (stack.length > 0) {
  const dir = stack.pop();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) stack.push(full);
    else if (entry.isFile()) {
      files++;
      if (readFileSync(full).indexOf('AKIA') !== -1) hits++;
    }
  }
}
console.log(`${files} ${hits}`);
