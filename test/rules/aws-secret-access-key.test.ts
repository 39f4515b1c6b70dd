import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { useVitestForRuleTester } from '../eslint/setup.js';
import { makeKeyId, makeSecret, makeSecretWithSlash } from '../helpers/keys.js';
import { LONG_TERM_ADVICE, expectedMessage, suggestion } from '../eslint/messages.js';

useVitestForRuleTester();

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 21 });
const secret = makeSecret(23);
const slashSecret = makeSecretWithSlash(24);
const tester = new RuleTester();

const masked = (value: string) => `${value.slice(0, 4)}${'*'.repeat(16)}`;

tester.run('aws-secret-access-key', plugin.rules['aws-secret-access-key']!, {
  valid: [
    'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;',
    // A 40-char hex string is a SHA-1 digest, not a secret (docs/aws-credentials.md, "Secret access keys").
    `const secretKey = '${'0123456789abcdef'.repeat(3).slice(0, 40)}';`,
    `const secretAccessKey = '${secret}'; // keywarden:allow`,
    // Another rule's finding is not this rule's.
    `const accessKeyId = '${keyId}';`,
  ],
  invalid: [
    {
      code: `const creds = {\n  accessKeyId: '${keyId}',\n  secretAccessKey: '${secret}',\n};`,
      errors: [
        {
          message: expectedMessage(
            'AWS secret access key',
            masked(secret),
            ` (paired with key ID ${keyId}, account 123456789012)`,
            'a string literal',
            LONG_TERM_ADVICE,
          ),
          line: 3,
          column: 21,
          endLine: 3,
          endColumn: 61,
          suggestions: [
            {
              desc: suggestion('AWS_SECRET_ACCESS_KEY'),
              output: `const creds = {\n  accessKeyId: '${keyId}',\n  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,\n};`,
            },
          ],
        },
      ],
    },
    {
      code: `const secretAccessKey = '${secret}';`,
      errors: [
        {
          message: expectedMessage('AWS secret access key', masked(secret), '', 'a string literal', LONG_TERM_ADVICE),
          column: 26,
          endColumn: 66,
          suggestions: [
            { desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;' },
          ],
        },
      ],
    },
    {
      // JSON's escaped slash: the span covers the escape, the literal's value is the secret.
      code: `const secretKey = "${slashSecret.replace('/', '\\/')}";`,
      errors: [
        {
          messageId: 'credential',
          column: 20,
          endColumn: 61,
          suggestions: [{ desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretKey = process.env.AWS_SECRET_ACCESS_KEY;' }],
        },
      ],
    },
    {
      code: `const ini = \`[default]\naws_secret_access_key = ${secret}\n\`;`,
      errors: [
        {
          message: expectedMessage('AWS secret access key', masked(secret), '', 'a template literal', LONG_TERM_ADVICE),
          line: 2,
          column: 25,
          endColumn: 65,
          suggestions: [
            {
              desc: suggestion('AWS_SECRET_ACCESS_KEY'),
              output: 'const ini = `[default]\naws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}\n`;',
            },
          ],
        },
      ],
    },
    {
      code: `const secretAccessKey = '${secret}';`,
      options: [{ allow: ['^never$'] }],
      errors: [
        {
          messageId: 'credential',
          column: 26,
          endColumn: 66,
          suggestions: [
            { desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;' },
          ],
        },
      ],
    },
  ],
});
