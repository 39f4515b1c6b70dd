import { processIo } from './io.js';
import { main } from './main.js';

// The only place that ends the process: everything below returns an exit code.
const io = processIo();
process.exitCode = await io.finish(await main(process.argv.slice(2), io));
