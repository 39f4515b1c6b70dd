import { UsageError } from '../errors.js';

export type ActionMode = 'pr' | 'push' | 'full';
const ACTION_MODES: readonly ActionMode[] = ['pr', 'push', 'full'];

export interface ActionInputs {
  paths: string[];
  /** Undefined: chosen from the event (pull_request -> pr, push -> push, else full). */
  mode?: ActionMode;
  failOn?: string;
  /** Empty: no SARIF file. */
  sarifFile: string;
  baseline?: string;
  /** Where a pull request's scan policy comes from: its base commit (default), or its own head. */
  policy: ActionPolicy;
  /** key-status input: true/false; undefined (empty input) leaves it to the config's keyStatus. */
  keyStatus?: boolean;
}

export type ActionPolicy = 'base' | 'head';

type Env = Readonly<Record<string, string | undefined>>;

/** The runner passes `with:` inputs as INPUT_<NAME>, upper-cased, spaces as underscores, dashes kept. */
function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function readInputs(env: Env): ActionInputs {
  const paths = getInput(env, 'paths')
    .split(/[\s,]+/)
    .filter((entry) => entry !== '');
  const mode = getInput(env, 'mode');
  if (mode !== '' && mode !== 'auto' && !(ACTION_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`input mode: "${mode}" is not one of auto, ${ACTION_MODES.join(', ')}`);
  }
  const failOn = getInput(env, 'fail-on');
  const baseline = getInput(env, 'baseline');
  const policy = getInput(env, 'policy') || 'base';
  if (policy !== 'base' && policy !== 'head') throw new UsageError(`input policy: "${policy}" is not one of base, head`);
  const keyStatus = getInput(env, 'key-status');
  if (keyStatus !== '' && keyStatus !== 'true' && keyStatus !== 'false')
    throw new UsageError(`input key-status: "${keyStatus}" is not true or false`);
  return {
    paths: paths.length > 0 ? paths : ['.'],
    ...(mode !== '' && mode !== 'auto' ? { mode: mode as ActionMode } : {}),
    ...(failOn ? { failOn } : {}),
    sarifFile: getInput(env, 'sarif-file'),
    ...(baseline ? { baseline } : {}),
    policy,
    ...(keyStatus !== '' ? { keyStatus: keyStatus === 'true' } : {}),
  };
}
