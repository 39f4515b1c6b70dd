/** Container formats opened as sources, told by their magic bytes (never by file name). */
export type ArchiveFormat = 'zip' | 'gzip' | 'tar';

function hasUstarMagic(bytes: Uint8Array): boolean {
  // POSIX ustar writes "ustar\0", GNU tar "ustar  \0": the first five bytes are shared.
  return (
    bytes.length >= 512 && bytes[257] === 0x75 && bytes[258] === 0x73 && bytes[259] === 0x74 && bytes[260] === 0x61 && bytes[261] === 0x72
  );
}

/**
 * zip: a local file header first ("PK\3\4", APPNOTE 4.3.7; jar, war, ear, whl, nupkg and apk are
 * zips); gzip: ID1 ID2 = 1F 8B and CM = 8, deflate (RFC 1952 2.3.1); tar: "ustar" at 257 (POSIX
 * ustar header). A zip with a stub before it (a self-extractor) is not recognised: it starts with
 * the stub.
 */
export function archiveFormat(bytes: Uint8Array): ArchiveFormat | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  if (bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) return 'gzip';
  if (hasUstarMagic(bytes)) return 'tar';
  return undefined;
}
