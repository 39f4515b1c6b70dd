/**
 * Ordinary file content around the snippets: code, config, prose, lockfiles, bundles and blobs,
 * with the lookalikes real repositories are full of (git SHAs, integrity hashes, uuids, base64).
 * Plausible, not compilable: the scanner reads text, it does not parse it.
 */
const WORDS = (
  'user account order item cart price total index value result data config options request response client server ' +
  'handler cache store queue event message payload token session auth login logout profile settings theme layout ' +
  'button modal form field input output error warning status code retry timeout limit offset page size count ' +
  'file path name type kind mode state action reducer effect hook context router route params query body header ' +
  'parse format render update create remove fetch load save sync build deploy bucket region stack lambda table ' +
  'record row column schema model entity service repository controller adapter factory builder helper util logger ' +
  'metric trace span batch chunk stream buffer reader writer encoder decoder map filter reduce sort group merge'
).split(' ');

export function words(r, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(r.pick(WORDS));
  return out;
}

const cap = (w) => w[0].toUpperCase() + w.slice(1);
export const camel = (r, n = r.int(1, 3)) =>
  words(r, n)
    .map((w, i) => (i ? cap(w) : w))
    .join('');
export const pascal = (r, n = r.int(1, 3)) => words(r, n).map(cap).join('');
export const snake = (r, n = r.int(1, 3)) => words(r, n).join('_');
export const sentence = (r, n = r.int(6, 16)) => cap(words(r, n).join(' ')) + '.';
const str = (r) => words(r, r.int(1, 4)).join(r.pick([' ', '-', '_', '/']));

export function jsBlock(r, typed) {
  const name = camel(r);
  const args = words(r, r.int(0, 3)).map((w) => (typed ? `${w}: ${r.pick(['string', 'number', 'boolean', pascal(r, 1)])}` : w));
  const lines = [
    `/**\n * ${sentence(r)}\n */`,
    `export ${r.chance(0.3) ? 'async ' : ''}function ${name}(${args.join(', ')})${typed ? `: ${pascal(r, 2)}` : ''} {`,
  ];
  const body = r.int(3, 14);
  for (let i = 0; i < body; i++) {
    switch (r.int(0, 5)) {
      case 0:
        lines.push(
          `  const ${camel(r)} = ${camel(r)}.${camel(r, 1)}((${r.pick(['item', 'x', 'entry'])}) => ${r.pick(['item', 'x', 'entry'])}.${camel(r, 1)} + ${r.int(0, 999)});`,
        );
        break;
      case 1:
        lines.push(`  if (${camel(r)}.length > ${r.int(0, 64)}) {\n    return ${camel(r)}(${camel(r)}, '${str(r)}');\n  }`);
        break;
      case 2:
        lines.push(`  // ${sentence(r)}`);
        break;
      case 3:
        lines.push(`  await this.${camel(r)}.${camel(r, 1)}({ ${camel(r, 1)}: ${camel(r)}, ${camel(r, 1)}: '${str(r)}' });`);
        break;
      case 4:
        lines.push(`  logger.${r.pick(['info', 'debug', 'warn'])}(\`${sentence(r, 5)} \${${camel(r)}}\`);`);
        break;
      default:
        lines.push(`  let ${camel(r)} = ${r.chance(0.5) ? `'${str(r)}'` : r.int(0, 100000)};`);
    }
  }
  lines.push(`  return ${camel(r)};`, '}\n\n');
  return lines.join('\n');
}

export function jsHeader(r) {
  let out = '';
  for (let i = r.int(2, 8); i > 0; i--)
    out += `import { ${camel(r)}, ${camel(r)} } from '${r.pick(['./', '../', '@app/'])}${camel(r, 2)}.js';\n`;
  return out + '\n';
}

export function pyBlock(r) {
  const lines = [`def ${snake(r)}(${words(r, r.int(0, 3)).join(', ')}):`, `    """${sentence(r)}"""`];
  for (let i = r.int(3, 12); i > 0; i--) {
    switch (r.int(0, 4)) {
      case 0:
        lines.push(`    ${snake(r)} = [${snake(r, 1)}.${snake(r, 1)} for ${snake(r, 1)} in ${snake(r)}]`);
        break;
      case 1:
        lines.push(`    if ${snake(r)} is None:\n        raise ValueError("${sentence(r, 4)}")`);
        break;
      case 2:
        lines.push(`    # ${sentence(r)}`);
        break;
      case 3:
        lines.push(`    logger.info("%s ${words(r, 3).join(' ')}", ${snake(r)})`);
        break;
      default:
        lines.push(`    ${snake(r)} = ${snake(r)}.get("${snake(r, 1)}", ${r.int(0, 500)})`);
    }
  }
  lines.push(`    return ${snake(r)}\n\n`);
  return lines.join('\n');
}

export function goBlock(r) {
  const lines = [
    `// ${pascal(r)} ${sentence(r, 8)}`,
    `func ${pascal(r)}(ctx context.Context, ${camel(r, 1)} ${r.pick(['string', 'int', '*Config', '[]byte'])}) error {`,
  ];
  for (let i = r.int(3, 12); i > 0; i--) {
    switch (r.int(0, 3)) {
      case 0:
        lines.push(
          `\t${camel(r)}, err := ${camel(r, 1)}.${pascal(r)}(ctx, "${str(r)}")\n\tif err != nil {\n\t\treturn fmt.Errorf("${words(r, 2).join(' ')}: %w", err)\n\t}`,
        );
        break;
      case 1:
        lines.push(`\t// ${sentence(r)}`);
        break;
      case 2:
        lines.push(`\tfor _, ${camel(r, 1)} := range ${camel(r)} {\n\t\t${camel(r)} += len(${camel(r, 1)})\n\t}`);
        break;
      default:
        lines.push(`\t${camel(r)} := ${r.int(0, 9999)}`);
    }
  }
  lines.push('\treturn nil\n}\n\n');
  return lines.join('\n');
}

export function javaBlock(r) {
  const lines = [
    `    /** ${sentence(r)} */`,
    `    public ${r.pick(['void', 'String', 'int', 'List<String>'])} ${camel(r)}(${pascal(r, 1)} ${camel(r, 1)}) {`,
  ];
  for (let i = r.int(3, 10); i > 0; i--) {
    switch (r.int(0, 3)) {
      case 0:
        lines.push(`        ${pascal(r, 1)} ${camel(r)} = ${camel(r, 1)}.get${pascal(r)}();`);
        break;
      case 1:
        lines.push(`        // ${sentence(r)}`);
        break;
      case 2:
        lines.push(`        if (${camel(r)} == null) {\n            throw new IllegalStateException("${sentence(r, 4)}");\n        }`);
        break;
      default:
        lines.push(`        log.debug("${words(r, 3).join(' ')} {}", ${camel(r)});`);
    }
  }
  lines.push('        return;\n    }\n\n');
  return lines.join('\n');
}

export function yamlBlock(r) {
  const lines = [`${snake(r, 1)}:`];
  for (let i = r.int(3, 12); i > 0; i--) {
    lines.push(r.chance(0.2) ? `  # ${sentence(r, 6)}` : `  ${snake(r)}: ${r.chance(0.5) ? `"${str(r)}"` : r.int(0, 1000)}`);
  }
  if (r.chance(0.3)) lines.push(`  image: registry.example.com/${camel(r, 1)}@sha256:${r.hex(64)}`);
  return lines.join('\n') + '\n';
}

export function jsonEntry(r) {
  return `  "${camel(r)}": ${r.chance(0.5) ? `"${str(r)}"` : r.chance(0.5) ? r.int(0, 100000) : `{"${camel(r, 1)}": "${str(r)}", "id": "${r.uuid()}"}`},\n`;
}

export function iniSection(r) {
  let out = `[${snake(r, 2)}]\n`;
  for (let i = r.int(2, 8); i > 0; i--) out += `${snake(r)} = ${r.chance(0.5) ? str(r) : r.int(0, 9999)}\n`;
  return out + '\n';
}

export function envLine(r) {
  return `${snake(r, r.int(1, 3)).toUpperCase()}=${r.chance(0.5) ? str(r) : r.int(0, 65535)}\n`;
}

export function markdownBlock(r) {
  const lines = [`## ${cap(words(r, r.int(2, 5)).join(' '))}`, ''];
  for (let i = r.int(1, 4); i > 0; i--) lines.push(Array.from({ length: r.int(2, 6) }, () => sentence(r)).join(' '), '');
  if (r.chance(0.4)) lines.push('```js', jsBlock(r, false).trimEnd(), '```', '');
  if (r.chance(0.3)) lines.push(`Fixed in ${r.hex(40)} (see #${r.int(1, 4000)}).`, '');
  return lines.join('\n') + '\n';
}

export function dockerLine(r) {
  return r.pick([
    `RUN apt-get update && apt-get install -y ${words(r, 3).join(' ')}\n`,
    `COPY ${camel(r)} /app/${camel(r)}\n`,
    `ENV ${snake(r, 2).toUpperCase()}=${str(r)}\n`,
    `# ${sentence(r)}\n`,
    `RUN npm ci --omit=dev\n`,
  ]);
}

/** package-lock.json v3 entries: every package carries a sha512 integrity (base64, 88 chars). */
export function lockEntry(d, r) {
  const name = `${camel(r, 1)}-${camel(r, 1)}`.toLowerCase();
  const version = `${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 20)}`;
  d.add(
    `    "node_modules/${name}": {\n      "version": "${version}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${version}.tgz",\n      "integrity": "`,
  );
  d.bg('lockfile-integrity', `sha512-${r.base64(86)}==`);
  d.add(`",\n      "dev": ${r.chance(0.5)}\n    },\n`);
}

/** yarn.lock v1: resolved URLs end in a SHA-1 (40 hex, the classic secret-scanner false positive). */
export function yarnEntry(d, r) {
  const name = `${camel(r, 1)}-${camel(r, 1)}`.toLowerCase();
  const version = `${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 20)}`;
  d.add(`${name}@^${version}:\n  version "${version}"\n  resolved "https://registry.yarnpkg.com/${name}/-/${name}-${version}.tgz#`);
  d.bg('git-sha', r.hex(40));
  d.add('"\n  integrity ')
    .bg('lockfile-integrity', `sha512-${r.base64(86)}==`)
    .add('\n\n');
}

export function goSumLine(d, r) {
  const mod = `github.com/${camel(r, 1)}/${camel(r, 1)}`.toLowerCase();
  const version = `v${r.int(0, 3)}.${r.int(0, 30)}.${r.int(0, 20)}`;
  d.add(`${mod} ${version} h1:`)
    .bg('go-sum-hash', `${r.base64(43)}=`)
    .add('\n');
  d.add(`${mod} ${version}/go.mod h1:`)
    .bg('go-sum-hash', `${r.base64(43)}=`)
    .add('\n');
}

export function changelogLine(d, r) {
  d.add('* ')
    .add(sentence(r, r.int(4, 10)))
    .add(' (')
    .bg('git-sha', r.hex(40))
    .add(`) by @${camel(r, 1)}\n`);
}

export function blameIgnoreLine(d, r) {
  d.add(`# ${sentence(r, 5)}\n`)
    .bg('git-sha', r.hex(40))
    .add('\n');
}

/** One statement of minified JavaScript: short names, no newlines, the odd data: URI. */
export function minifiedChunk(d, r) {
  const a = r.alnum(1).toLowerCase();
  switch (r.int(0, 5)) {
    case 0:
      d.add(`function ${a}${r.int(0, 99)}(e,t,n){var r=e[t]||{};return n&&n.${camel(r, 1)}?r.${camel(r, 1)}(n):void 0}`);
      break;
    case 1:
      d.add(`${a}.prototype.${camel(r)}=function(e){return this._${camel(r, 1)}.push(e),this};`);
      break;
    case 2:
      d.add(`var ${a}${r.int(0, 9)}="${str(r)}",${a}${r.int(10, 19)}=${r.int(0, 99999)};`);
      break;
    case 3:
      d.add(`e.exports={${camel(r, 1)}:"${str(r)}",id:"`)
        .bg('uuid', r.uuid())
        .add('"};');
      break;
    case 4:
      d.add('const i="data:image/png;base64,')
        .bg('base64-blob', r.base64(r.int(200, 3000)))
        .add('";');
      break;
    default:
      d.add(`if(!${a})throw new Error("${sentence(r, 4)}");`);
  }
}

export function sourceMap(d, r, size) {
  d.add(`{"version":3,"file":"${camel(r)}.min.js","sources":["../src/${camel(r)}.ts"],"names":["${words(r, 8).join('","')}"],"mappings":"`);
  let mappings = '';
  const vlq = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  while (d.length + mappings.length < size) mappings += r.chars(vlq, r.int(4, 10)) + r.pick([',', ',', ',', ';']);
  d.bg('source-map-mappings', mappings).add('"}\n');
}

export function cssBlock(d, r) {
  d.add(`.${camel(r)} {\n  color: #${r.hex(6)};\n  margin: ${r.int(0, 32)}px;\n`);
  if (r.chance(0.25))
    d.add('  background-image: url(data:image/png;base64,')
      .bg('base64-blob', r.base64(r.int(400, 6000)))
      .add('==);\n');
  d.add('}\n\n');
}

export function pemCert(d, r) {
  d.add('-----BEGIN CERTIFICATE-----\n');
  const lines = r.int(15, 40);
  let body = '';
  for (let i = 0; i < lines; i++) body += r.base64(64) + '\n';
  d.bg('base64-blob', body).add('-----END CERTIFICATE-----\n');
}

export function fixtureRecord(d, r) {
  d.add('  {"id": "')
    .bg('uuid', r.uuid())
    .add(`", "${camel(r, 1)}": "${str(r)}", "ownerId": "`)
    .bg('uuid', r.uuid());
  d.add(`", "createdAt": "2024-0${r.int(1, 9)}-1${r.int(0, 9)}T0${r.int(0, 9)}:00:00Z", "etag": "`)
    .bg('git-sha', r.hex(40))
    .add('"},\n');
}
