import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { DOC_EXAMPLE_KEY_ID, makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';
import { LONG_TERM_ADVICE, expectedMessage, suggestion } from '../eslint/messages.js';
import { jsxParserOptions, useVitestForRuleTester } from '../eslint/setup.js';

useVitestForRuleTester();

const rule = plugin.rules['aws-access-key-id']!;
const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 11 });
const canaryKeyId = makeKeyId('AKIA', { account: '534261010715', seed: 12 });
const legacyKeyId = makeKeyId('AKIA', { legacy: true, seed: 13 });
const otherKeyId = makeKeyId('AKIA', { account: '210987654321', seed: 14 });

const escaped = [...keyId].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
// "AWS_ACCESS_KEY_ID=" is 18 bytes: the key id starts at base64 character 24.
const envBlob = Buffer.from(`AWS_ACCESS_KEY_ID=${keyId}\nAWS_REGION=eu-west-1\n`).toString('base64');

const inString = (context = ' (account 123456789012)') =>
  expectedMessage('AWS access key ID', keyId, context, 'a string literal', LONG_TERM_ADVICE);
const useEnv = suggestion('AWS_ACCESS_KEY_ID');

new RuleTester({ languageOptions: { parserOptions: jsxParserOptions } }).run('aws-access-key-id (espree)', rule, {
  valid: [
    'const id = process.env.AWS_ACCESS_KEY_ID;',
    // AWS documentation examples are counted by the CLI but not reported by default.
    `const id = '${DOC_EXAMPLE_KEY_ID}';`,
    // An identifier is not where a credential is stored.
    `const ${keyId} = 1;`,
    `const id = '${keyId}'; // keywarden:allow test fixture`,
    `// keywarden:allow-next-line\nconst id = '${keyId}';`,
    { code: `const id = '${keyId}';`, options: [{ allow: [`^${keyId.slice(0, 8)}`] }] },
    // The allow list is tested against the credential, so a pattern for another key does not hide this one.
    { code: `const id = '${otherKeyId}';`, options: [{ allow: ['NOMATCH', `^${otherKeyId}$`] }] },
  ],
  invalid: [
    // Escapes the string literal decodes: reported at the escapes, the literal replaceable as a whole.
    {
      code: `const id = '${escaped}';`,
      errors: [
        {
          message: inString(' (encoded as unicode-escape, account 123456789012)'),
          column: 13,
          endColumn: 13 + escaped.length,
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    // Base64 the program would decode itself: reported at the base64 characters that hold the key id, no rewrite.
    {
      code: `const env = '${envBlob}';`,
      errors: [{ message: inString(' (encoded as base64, account 123456789012)'), column: 14 + 24, suggestions: [] }],
    },
    {
      code: `const id = '${keyId}';`,
      errors: [
        {
          message: inString(),
          line: 1,
          column: 13,
          endLine: 1,
          endColumn: 33,
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      code: `const id = "${keyId}";`,
      options: [{ allow: ['^NOTHING'] }],
      errors: [
        {
          message: inString(),
          column: 13,
          endColumn: 33,
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      // Part of a larger string: no safe rewrite, so no suggestion.
      code: `fetch('https://example.test/?id=${keyId}&v=1');`,
      errors: [{ message: inString(), line: 1, column: 33, endColumn: 53, suggestions: [] }],
    },
    {
      code: `const t = \`id=${keyId}\`;`,
      errors: [
        {
          message: expectedMessage('AWS access key ID', keyId, ' (account 123456789012)', 'a template literal', LONG_TERM_ADVICE),
          column: 15,
          endColumn: 35,
          suggestions: [{ desc: useEnv, output: 'const t = `id=${process.env.AWS_ACCESS_KEY_ID}`;' }],
        },
      ],
    },
    {
      code: `const t = \`${keyId}\`;`,
      errors: [
        {
          messageId: 'credential',
          column: 12,
          endColumn: 32,
          suggestions: [{ desc: useEnv, output: 'const t = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      // After an expression: the quasi is `}...` and the key sits past the delimiter.
      code: `const t = \`\${region}:${keyId}\`;`,
      errors: [
        {
          messageId: 'credential',
          column: 22,
          endColumn: 42,
          suggestions: [{ desc: useEnv, output: 'const t = `${region}:${process.env.AWS_ACCESS_KEY_ID}`;' }],
        },
      ],
    },
    {
      // A tag may treat interpolations differently (sql``, gql``): no suggestion.
      code: `const q = sql\`select '${keyId}'\`;`,
      errors: [{ messageId: 'credential', column: 23, endColumn: 43, suggestions: [] }],
    },
    {
      code: `const config = {\n  region: 'eu-west-1',\n  accessKeyId: '${keyId}',\n};`,
      errors: [
        {
          messageId: 'credential',
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 37,
          suggestions: [
            { desc: useEnv, output: "const config = {\n  region: 'eu-west-1',\n  accessKeyId: process.env.AWS_ACCESS_KEY_ID,\n};" },
          ],
        },
      ],
    },
    {
      // A property name cannot become `process.env...`.
      code: `const owners = { '${keyId}': 'ci' };`,
      errors: [{ messageId: 'credential', column: 19, endColumn: 39, suggestions: [] }],
    },
    {
      code: `import x from '${keyId}';`,
      errors: [{ messageId: 'credential', column: 16, endColumn: 36, suggestions: [] }],
    },
    {
      code: `'${keyId}';`,
      errors: [{ messageId: 'credential', column: 2, endColumn: 22, suggestions: [] }],
    },
    {
      code: `// rotated 2024: ${keyId}\nconst id = process.env.AWS_ACCESS_KEY_ID;`,
      errors: [
        {
          message: expectedMessage('AWS access key ID', keyId, ' (account 123456789012)', 'a comment', LONG_TERM_ADVICE),
          line: 1,
          column: 18,
          endColumn: 38,
          suggestions: [],
        },
      ],
    },
    {
      // ESLint counts CRLF once and U+2028 as a line break; locations follow ESLint, not a plain \n count.
      code: `const a = 1;\r\n// note\u2028more\nconst id = '${keyId}';`,
      errors: [
        {
          messageId: 'credential',
          line: 4,
          column: 13,
          endLine: 4,
          endColumn: 33,
          suggestions: [{ desc: useEnv, output: 'const a = 1;\r\n// note\u2028more\nconst id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      code: `/*\n * old:\n *   ${keyId}\n */`,
      errors: [{ messageId: 'credential', line: 3, column: 6, endLine: 3, endColumn: 26, suggestions: [] }],
    },
    {
      code: `const a = <Login keyId="${keyId}" />;`,
      errors: [
        {
          message: expectedMessage('AWS access key ID', keyId, ' (account 123456789012)', 'JSX', LONG_TERM_ADVICE),
          column: 25,
          endColumn: 45,
          suggestions: [{ desc: useEnv, output: 'const a = <Login keyId={process.env.AWS_ACCESS_KEY_ID} />;' }],
        },
      ],
    },
    {
      code: `const a = <p>${keyId}</p>;`,
      errors: [
        {
          messageId: 'credential',
          column: 14,
          endColumn: 34,
          suggestions: [{ desc: useEnv, output: 'const a = <p>{process.env.AWS_ACCESS_KEY_ID}</p>;' }],
        },
      ],
    },
    {
      code: `const id = '${canaryKeyId}';`,
      errors: [
        {
          message: expectedMessage(
            'AWS access key ID',
            canaryKeyId,
            ' (account 534261010715, a canary-token account)',
            'a string literal',
            LONG_TERM_ADVICE,
          ),
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      // Older key ids carry no account: the message says nothing rather than guess.
      code: `const id = '${legacyKeyId}';`,
      errors: [
        {
          message: expectedMessage('AWS access key ID', legacyKeyId, '', 'a string literal', LONG_TERM_ADVICE),
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      code: `const id = '${DOC_EXAMPLE_KEY_ID}';`,
      options: [{ includeExamples: true }],
      errors: [
        {
          message: expectedMessage(
            'AWS access key ID',
            DOC_EXAMPLE_KEY_ID,
            ' (an AWS documentation example)',
            'a string literal',
            LONG_TERM_ADVICE,
          ),
          column: 13,
          endColumn: 33,
          suggestions: [{ desc: useEnv, output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
    {
      // Two keys on one line, one allowed: only the other is reported.
      code: `const ids = ['${keyId}', '${otherKeyId}'];`,
      options: [{ allow: [`^${otherKeyId}$`] }],
      errors: [
        {
          message: inString(),
          column: 15,
          endColumn: 35,
          suggestions: [{ desc: useEnv, output: `const ids = [process.env.AWS_ACCESS_KEY_ID, '${otherKeyId}'];` }],
        },
      ],
    },
  ],
});

const temporaryKeyId = makeKeyId('ASIA', { account: '210987654321', seed: 22 });
const secret = makeSecret(23);
const token = makeSessionToken(25, 400);

new RuleTester().run('aws-access-key-id does not report other rules', plugin.rules['aws-access-key-id']!, {
  valid: [`const id = '${temporaryKeyId}';`, `const secretAccessKey = '${secret}';`, `const sessionToken = '${token}';`],
  invalid: [],
});
