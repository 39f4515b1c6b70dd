import { createRequire as __keywardenCreateRequire } from 'node:module';
const require = __keywardenCreateRequire(import.meta.url);

// src/git/cat-file-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/errors.ts
var UsageError = class extends Error {
  name = "UsageError";
};

// src/git/errors.ts
var GitError = class extends UsageError {
};
var GitNotFoundError = class extends GitError {
  constructor() {
    super("git is not installed or not on PATH (git modes run the git command)");
  }
};
var NotAGitRepositoryError = class extends GitError {
  constructor(cwd) {
    super(`not a git repository: ${cwd}`);
  }
};

// src/git/run.ts
import { execFile, spawn } from "node:child_process";
var GLOBAL_ARGS = [
  "--no-pager",
  "-c",
  "core.quotePath=false",
  "-c",
  "color.ui=false",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "core.pager=cat",
  "-c",
  "protocol.allow=never",
  "-c",
  "log.showSignature=false"
];
var MAX_BUFFER = 512 * 1024 * 1024;
function gitEnv(context2) {
  const env = { ...context2.env ?? process.env };
  env.LC_ALL = "C";
  env.LANGUAGE = "C";
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_PAGER = "cat";
  env.GIT_ALLOW_PROTOCOL = context2.allowProtocols ?? "";
  env.GIT_NO_LAZY_FETCH = "1";
  env.GIT_OPTIONAL_LOCKS = "0";
  return env;
}
function gitFailure(context2, args2, error, stderr) {
  if (error?.code === "ENOENT" && !stderr) return new GitNotFoundError();
  if (/not a git repository/i.test(stderr)) return new NotAGitRepositoryError(context2.cwd);
  const firstLine = stderr.split("\n").find((line) => line.trim() !== "")?.replace(/^(fatal|error):\s*/, "") ?? error?.message ?? "unknown error";
  return new GitError(`git ${args2[0] ?? ""} failed: ${firstLine.trim()}`);
}
function spawnGit(context2, args2) {
  const child2 = spawn("git", [...GLOBAL_ARGS, ...args2], {
    cwd: context2.cwd,
    env: gitEnv(context2),
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true
  });
  let stderr = "";
  child2.stderr.setEncoding("utf8");
  child2.stderr.on("data", (chunk) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const done2 = new Promise((resolve, reject) => {
    child2.on("error", (error) => reject(gitFailure(context2, args2, error, stderr)));
    child2.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(gitFailure(context2, args2, new Error(signal ? `killed by ${signal}` : `exit code ${code}`), stderr));
    });
  });
  done2.catch(() => void 0);
  return { child: child2, done: done2 };
}

// src/git/cat-file-worker.ts
var { context, args, maxAhead } = workerData;
var port = parentPort;
var post = (message, transfer = []) => port.postMessage(message, transfer);
var { child, done } = spawnGit(context, args);
child.stdin.on("error", () => void 0);
var ahead = 0;
var pausedByReader = false;
var pending = [];
var pendingBytes = 0;
var flushScheduled = false;
var FLUSH_BYTES = 256 * 1024;
var flush = () => {
  flushScheduled = false;
  if (pending.length === 0) return;
  const buffers = pending;
  pending = [];
  pendingBytes = 0;
  post({ kind: "data", buffers }, buffers);
};
var flow = () => {
  if (pausedByReader || ahead > maxAhead) child.stdout.pause();
  else child.stdout.resume();
};
child.stdout.on("data", (chunk) => {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  const buffer = whole ? chunk.buffer : new Uint8Array(chunk).buffer;
  ahead += chunk.byteLength;
  pending.push(buffer);
  pendingBytes += chunk.byteLength;
  if (pendingBytes >= FLUSH_BYTES) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
  if (ahead > maxAhead) flow();
});
done.then(
  () => {
    flush();
    post({ kind: "exit", ok: true });
  },
  (error) => {
    flush();
    post({ kind: "exit", ok: false, notFound: error instanceof GitNotFoundError, message: error.message });
  }
);
port.on("message", (message) => {
  switch (message.kind) {
    case "write":
      child.stdin.write(message.text);
      break;
    case "end":
      child.stdin.end();
      break;
    case "pause":
      pausedByReader = true;
      flow();
      break;
    case "resume":
      pausedByReader = false;
      flow();
      break;
    case "taken":
      ahead -= message.bytes;
      flow();
      break;
  }
});
