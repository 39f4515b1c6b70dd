/**
 * Preloaded into a Node child (NODE_OPTIONS=--import) when GNU time is missing: at exit, writes
 * the process's peak RSS in KB (worker threads included, they share the process) to a file.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.KW_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
