/**
 * Amazon Bedrock API keys for tests, built in code from fake credentials (never pasted as literals).
 * Short-term keys come from AWS's own generator, @aws/bedrock-token-generator, which signs offline:
 * it presigns a URL with the given credentials and makes no network call.
 */
import { getToken } from '@aws/bedrock-token-generator';
import { vi } from 'vitest';
import { makeKeyId, makeSecret, makeSessionToken } from './keys.js';

export interface ShortTermKeyOptions {
  /** ASIA (temporary credentials, the usual case) or AKIA (an IAM user's long-term key). */
  kind?: 'ASIA' | 'AKIA';
  account?: string;
  region?: string;
  expiresInSeconds?: number;
  /** Sign as if the clock read this (for expired keys); now when unset. */
  signedAt?: Date;
  seed?: number;
}

export interface ShortTermKey {
  token: string;
  keyId: string;
}

export async function makeBedrockShortTermKey(options: ShortTermKeyOptions = {}): Promise<ShortTermKey> {
  const seed = options.seed ?? 1;
  const kind = options.kind ?? 'ASIA';
  const keyId = makeKeyId(kind, { account: options.account ?? '210987654321', seed });
  const credentials = {
    accessKeyId: keyId,
    secretAccessKey: makeSecret(seed),
    ...(kind === 'ASIA' ? { sessionToken: makeSessionToken(seed, 700) } : {}),
  };
  // The generator signs with the current time; only Date is faked, so its promises still run.
  if (options.signedAt) vi.useFakeTimers({ toFake: ['Date'], now: options.signedAt });
  try {
    const token = await getToken({
      credentials,
      region: options.region ?? 'us-east-1',
      expiresInSeconds: options.expiresInSeconds ?? 43_200,
    });
    return { token, keyId };
  } finally {
    if (options.signedAt) vi.useRealTimers();
  }
}

export interface LongTermKeyOptions {
  user?: string;
  account?: string;
  seed?: number;
  /** Secret length; 60 in the public samples. */
  secretLength?: number;
}

/** `ABSK` + base64 of `<user>-at-<account>:<secret>`, the layout docs/aws-credentials.md describes. */
export function makeBedrockLongTermKey(options: LongTermKeyOptions = {}): string {
  const seed = options.seed ?? 1;
  const secret = (makeSecret(seed) + makeSecret(seed + 1000)).slice(0, options.secretLength ?? 60);
  const decoded = `${options.user ?? 'BedrockAPIKey-q7zk'}-at-${options.account ?? '123456789012'}:${secret}`;
  return ['AB', 'SK'].join('') + Buffer.from(decoded).toString('base64');
}
