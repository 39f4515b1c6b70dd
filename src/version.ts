import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageInfo {
  name: string;
  version: string;
  homepage?: string;
}

/** Finds keywarden's own package.json, whether running from src/ (tests) or dist/src/ (installed). */
function readOwnPackage(): PackageInfo {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const info = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageInfo;
      if (info.name === 'keywarden') return info;
    } catch {
      // not here; keep climbing
    }
    dir = dirname(dir);
  }
  return { name: 'keywarden', version: '0.0.0' };
}

export const packageInfo: PackageInfo = readOwnPackage();

export const tool = {
  name: 'keywarden',
  version: packageInfo.version,
  informationUri: packageInfo.homepage ?? 'https://github.com/keywarden/keywarden',
};
