import { pathToFileURL } from 'node:url';

/** Lone UTF-16 surrogates cannot be percent-encoded as UTF-8; show them as U+FFFD instead of throwing. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Percent-encodes a posix path segment by segment: spaces, `#`, `?`, `%`, `:` and non-ASCII
 * (as UTF-8) are escaped, `/` separators are kept. RFC 3986 sub-delims such as `!` or `(`
 * are legal in a path and stay as they are.
 */
export function encodePathForUri(path: string): string {
  return wellFormed(path).split('/').map(encodeURIComponent).join('/');
}

export interface ArtifactUri {
  uri: string;
  /** Set for paths relative to the scan root (SARIF `%SRCROOT%`). */
  uriBaseId?: string;
}

export const SRCROOT = '%SRCROOT%';

/**
 * The SARIF artifact location for a finding path: relative paths become relative URI references
 * against %SRCROOT% (what GitHub code scanning maps onto the checkout); absolute ones, e.g. files
 * outside the root, become file URLs.
 */
export function artifactUri(path: string): ArtifactUri {
  if (path.startsWith('/')) return { uri: `file://${encodePathForUri(path)}` };
  const drive = /^([A-Za-z]):[\\/]/.exec(path);
  if (drive) return { uri: `file:///${drive[1]}:/${encodePathForUri(path.slice(3).replace(/\\/g, '/'))}` };
  return { uri: encodePathForUri(path.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

/** `%SRCROOT%` must be an absolute URI ending in `/` so relative references resolve under it. */
export function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}
