import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { FAKE_CALLER } from './sts-server.js';

/**
 * The SDK's default credential chain reads process.env and ~/.aws: point every source at nothing,
 * turn instance metadata off so nothing probes 169.254.169.254, and (unless `withCredentials` is
 * false) give the caller obviously fake static credentials. Undo with vi.unstubAllEnvs().
 */
export function isolateAwsEnv(options: { withCredentials?: boolean } = {}): void {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'keywarden-aws-'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(empty, 'credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', path.join(empty, 'config'));
  for (const name of [
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_STS',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'XDG_CACHE_HOME',
  ]) {
    vi.stubEnv(name, undefined);
  }
  if (options.withCredentials === false) {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
  } else {
    vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CALLER.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CALLER.secretAccessKey);
  }
}

/**
 * The same isolation for a child process (the built bin, an installed package): the fake caller's
 * credentials, no instance metadata, and shared config and credentials files in `emptyDir`, which
 * hold nothing.
 */
export function isolatedAwsChildEnv(emptyDir: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_CALLER.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CALLER.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(emptyDir, 'credentials'),
    AWS_CONFIG_FILE: path.join(emptyDir, 'config'),
  };
}
