import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rename, rm, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

/** Symlink hops followed before giving up, as the kernel's ELOOP limit does (Linux: 40). */
const MAX_LINK_HOPS = 40;

/** `.<name>.<pid>.<12 hex>.tmp`: hidden, next to the target, and recognisable as ours afterwards. */
function tempName(base: string): string {
  return `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function tempPattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
}

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

const statOrUndefined = (file: string) =>
  lstat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));

/**
 * The file a write to `file` should land in: symlinks are followed (also dangling ones, which then
 * create their target), so replacing the file never replaces the link itself.
 */
async function resolveTarget(file: string): Promise<{ file: string; stats: Stats | undefined }> {
  let current = path.resolve(file);
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    const stats = await statOrUndefined(current);
    if (!stats?.isSymbolicLink()) return { file: current, stats };
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw errnoError('ELOOP', `too many symbolic links: ${file}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files that an earlier, killed write to `file` left behind: only regular files named
 * by this writer's own pattern for this target, from processes that no longer run (a live
 * writer's temp file is its work in progress).
 */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const pattern = tempPattern(path.basename(file));
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    const temp = path.join(dir, name);
    const stats = await statOrUndefined(temp).catch(() => undefined);
    if (!stats?.isFile()) continue;
    await unlink(temp).then(
      () => removed.push(temp),
      () => undefined,
    );
  }
  return removed;
}

/** Devices and FIFOs cannot be replaced (that would put a file where /dev/full was): write into them. */
async function writeThrough(file: string, content: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some filesystems refuse to fsync a directory, which is fine.
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}

export interface AtomicWriteOptions {
  /** Default: the replaced file's mode, or 0644 (less the umask) for a new file. */
  mode?: number;
  /** Create missing parent directories (default true); false keeps ENOENT for a mistyped path. */
  makeDirectory?: boolean;
}

/**
 * Writes a file so that readers see the old content or the new, never a torn mix: write a temp
 * file in the same directory, fsync it, then rename over the target (atomic on POSIX). A symlink
 * is followed and its target replaced; a device or FIFO is written into directly.
 */
export async function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode, makeDirectory = true } = options;
  const target = await resolveTarget(file);
  if (target.stats?.isDirectory()) throw errnoError('EISDIR', `is a directory: ${file}`);
  if (target.stats && !target.stats.isFile()) return writeThrough(target.file, content);

  const dir = path.dirname(target.file);
  if (makeDirectory) await mkdir(dir, { recursive: true });
  await removeStaleTemps(target.file);
  const temp = path.join(dir, tempName(path.basename(target.file)));
  const finalMode = mode ?? (target.stats ? target.stats.mode & 0o777 : 0o644);
  const handle = await open(temp, 'wx', finalMode);
  try {
    // open() applies the umask; an explicit or inherited mode is meant exactly.
    if (mode !== undefined || target.stats) await handle.chmod(finalMode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target.file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}
