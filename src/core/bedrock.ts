import type { CredentialDetails } from './types.js';
/**
 * Offline decoding of Amazon Bedrock API keys (docs/aws-credentials.md, "Amazon Bedrock API keys").
 *
 * - Long-term keys are IAM service-specific credentials: `ABSK` followed by the base64 of
 *   `<user>-at-<account>:<secret>`, where `<user>-at-<account>` is the credential's public alias
 *   (IAM API Reference, ServiceSpecificCredential: ServiceCredentialAlias / ServiceUserName).
 * - Short-term keys are `bedrock-api-key-` followed by the base64 of a SigV4 presigned URL for
 *   `bedrock.amazonaws.com/?Action=CallWithBearerToken`, without its scheme and with `&Version=1`
 *   appended (the @aws/bedrock-token-generator package). The URL carries the signing key id, its
 *   date and Region (X-Amz-Credential), the signing time (X-Amz-Date) and the lifetime
 *   (X-Amz-Expires, at most 12 hours).
 */

export const LONG_TERM_PREFIX = 'ABSK';
export const SHORT_TERM_PREFIX = 'bedrock-api-key-';
/** base64 of `bedrock.amazonaws.com`: the first 28 characters of every short-term key's body. */
export const SHORT_TERM_HOST_BASE64 = 'YmVkcm9jay5hbWF6b25hd3MuY29t';
/** A short-term key lives at most 12 hours (Amazon Bedrock User Guide, "API keys"). */
export const MAX_SHORT_TERM_SECONDS = 43_200;
/**
 * Longest body decoded. A short-term key's URL holds an STS session token (usually under 2 KB,
 * URL-encoded) and a long-term key under 400 characters; anything longer is not decoded, so a
 * hostile file cannot make the decoder allocate more than a few KB per candidate.
 */
const MAX_ENCODED_LENGTH = 16_384;

const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The text a base64 body encodes, when it is well-formed, bounded and printable ASCII. */
export function decodeBase64Text(body: string): string | undefined {
  if (body.length === 0 || body.length > MAX_ENCODED_LENGTH || !BASE64_BODY.test(body)) return undefined;
  // One character past a multiple of four carries no whole byte: the value was cut.
  if (body.replace(/=+$/, '').length % 4 === 1) return undefined;
  // atob (a web-platform global, no node: import) spells each byte as one latin1 character; unpadded input is fine.
  const text = atob(body.replace(/=+$/, ''));
  return PRINTABLE_ASCII.test(text) ? text : undefined;
}

export interface LongTermKey {
  iamUser: string;
  accountId: string;
  secret: string;
}

/**
 * `<user>-at-<account>:<secret>`. IAM user names are 1-64 of [\w+=,.@-] (IAM API Reference,
 * UserName); the account is 12 digits. The secret's alphabet is not documented, so any run of
 * visible ASCII of a plausible length is accepted.
 */
const LONG_TERM_LAYOUT = /^([\w+=,.@-]{1,64})-at-(\d{12}):([\x21-\x7e]{20,256})$/;

export function parseLongTermKey(decoded: string): LongTermKey | undefined {
  const match = LONG_TERM_LAYOUT.exec(decoded);
  if (!match) return undefined;
  return { iamUser: match[1]!, accountId: match[2]!, secret: match[3]! };
}

export interface ShortTermKey {
  /** The access key id that signed the URL (ASIA for the usual temporary credentials). */
  keyId: string;
  region: string;
  issuedAt: Date;
  expiresInSeconds: number;
  expiresAt: Date;
}

const URL_START = 'bedrock.amazonaws.com/?';
const MAX_PARAMETERS = 32;
/** X-Amz-Credential: `<key id>/<yyyymmdd>/<region>/bedrock/aws4_request`, slashes URL-encoded. */
const CREDENTIAL =
  /^((?:AKIA|ASIA)[A-Z0-9]{16})(?:%2F|\/)(\d{8})(?:%2F|\/)([a-z]{2}(?:-[a-z]{2,10}){1,3}-\d{1,2})(?:%2F|\/)bedrock(?:%2F|\/)aws4_request$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function queryParameters(query: string): Map<string, string> | undefined {
  const parts = query.split('&', MAX_PARAMETERS + 1);
  if (parts.length > MAX_PARAMETERS) return undefined;
  const parameters = new Map<string, string>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals <= 0) return undefined;
    const name = part.slice(0, equals);
    if (!parameters.has(name)) parameters.set(name, part.slice(equals + 1));
  }
  return parameters;
}

function amzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20261340 over into 2027; a real signing time never needs it.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? date : undefined;
}

/**
 * The presigned URL's facts, or undefined when the text is not a complete, signed
 * CallWithBearerToken URL (a cut-off or made-up value grants nothing).
 */
export function parseShortTermKey(decoded: string): ShortTermKey | undefined {
  if (!decoded.startsWith(URL_START)) return undefined;
  const parameters = queryParameters(decoded.slice(URL_START.length));
  if (!parameters) return undefined;
  if (parameters.get('Action') !== 'CallWithBearerToken' || parameters.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  if (!/^[0-9a-f]{64}$/.test(parameters.get('X-Amz-Signature') ?? '')) return undefined;
  const credential = CREDENTIAL.exec(parameters.get('X-Amz-Credential') ?? '');
  const issuedAt = amzDate(parameters.get('X-Amz-Date') ?? '');
  const expires = parameters.get('X-Amz-Expires') ?? '';
  if (!credential || !issuedAt || !/^\d{1,7}$/.test(expires)) return undefined;
  // SigV4 scopes the signing key to the day of X-Amz-Date.
  if (credential[2] !== parameters.get('X-Amz-Date')!.slice(0, 8)) return undefined;
  const expiresInSeconds = Number(expires);
  if (expiresInSeconds === 0) return undefined;
  return {
    keyId: credential[1]!,
    region: credential[3]!,
    issuedAt,
    expiresInSeconds,
    expiresAt: new Date(issuedAt.getTime() + Math.min(expiresInSeconds, MAX_SHORT_TERM_SECONDS) * 1000),
  };
}

/**
 * What a finding's decoded details say, for a message: ["IAM user alice", "Region us-west-2",
 * "expires 2026-…"]. One wording for reports and the editor; "Region" as AWS writes it.
 */
export function describeDetails(details: CredentialDetails): string[] {
  const notes: string[] = [];
  if (details.iamUser) notes.push(`IAM user ${details.iamUser}`);
  if (details.region) notes.push(`Region ${details.region}`);
  if (details.expiresAt) notes.push(`${details.expired ? 'expired' : 'expires'} ${details.expiresAt}`);
  return notes;
}
