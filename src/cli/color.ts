import type { CliIo } from './io.js';

/** --color / --no-color win; then NO_COLOR and FORCE_COLOR (no-color.org); then whether stdout is a TTY. */
export function useColor(flag: boolean | undefined, io: CliIo, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io[stream].isTTY) && io.env.TERM !== 'dumb';
}
