import { processIo } from './io.js';
import { main } from './main.js';

// On Node < 22, @aws-sdk/core's emitWarningIfUnsupportedVersion prints a multi-line notice at the
// first STS call (its versions from 2027 will need Node 22). It is addressed to whoever picks the
// Node version keywarden runs on, not to someone reading a scan; the SDK skips it when this variable
// is "true", and it silences nothing else. A value the user set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The only place that ends the process: everything below returns an exit code.
const io = processIo();
process.exitCode = await io.finish(await main(process.argv.slice(2), io));
