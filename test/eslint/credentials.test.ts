import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { makeKeyId, makeSecret, makeSecretWithSlash, makeSessionToken } from '../helpers/keys.js';
import { LONG_TERM_ADVICE, TEMPORARY_ADVICE, expectedMessage, suggestion } from './messages.js';
import { useVitestForRuleTester } from './setup.js';

useVitestForRuleTester();

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 21 });
const temporaryKeyId = makeKeyId('ASIA', { account: '210987654321', seed: 22 });
const secret = makeSecret(23);
const slashSecret = makeSecretWithSlash(24);
const token = makeSessionToken(25, 400);
const tester = new RuleTester();

const masked = (value: string) => `${value.slice(0, 4)}${'*'.repeat(16)}`;

tester.run('aws-secret-access-key', plugin.rules['aws-secret-access-key']!, {
  valid: [
    'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;',
    // A 40-char hex string is a SHA-1 digest, not a secret (AWS-FACTS.md).
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
          message: expectedMessage('AWS secret access key', masked(secret), ` (paired with key ID ${keyId}, account 123456789012)`, 'a string literal', LONG_TERM_ADVICE),
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
          suggestions: [{ desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;' }],
        },
      ],
    },
    {
      // JSON's escaped slash: the span covers the escape, the literal's value is the secret.
      code: `const secretKey = "${slashSecret.replace('/', '\\/')}";`,
      errors: [{ messageId: 'credential', column: 20, endColumn: 61, suggestions: [{ desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretKey = process.env.AWS_SECRET_ACCESS_KEY;' }] }],
    },
    {
      code: `const ini = \`[default]\naws_secret_access_key = ${secret}\n\`;`,
      errors: [
        {
          message: expectedMessage('AWS secret access key', masked(secret), '', 'a template literal', LONG_TERM_ADVICE),
          line: 2,
          column: 25,
          endColumn: 65,
          suggestions: [{ desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const ini = `[default]\naws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}\n`;' }],
        },
      ],
    },
    {
      code: `const secretAccessKey = '${secret}';`,
      options: [{ allow: ['^never$'] }],
      errors: [{ messageId: 'credential', column: 26, endColumn: 66, suggestions: [{ desc: suggestion('AWS_SECRET_ACCESS_KEY'), output: 'const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;' }] }],
    },
  ],
});

tester.run('aws-session-token', plugin.rules['aws-session-token']!, {
  valid: ['const sessionToken = process.env.AWS_SESSION_TOKEN;', { code: `const sessionToken = '${token}';`, options: [{ allow: [`^${token.slice(0, 30)}`] }] }],
  invalid: [
    {
      code: `const sessionToken = '${token}';`,
      errors: [
        {
          message: expectedMessage('AWS session token', masked(token), '', 'a string literal', TEMPORARY_ADVICE),
          line: 1,
          column: 23,
          endLine: 1,
          endColumn: 423,
          suggestions: [{ desc: suggestion('AWS_SESSION_TOKEN'), output: 'const sessionToken = process.env.AWS_SESSION_TOKEN;' }],
        },
      ],
    },
    {
      code: `const env = {\n  AWS_ACCESS_KEY_ID: '${temporaryKeyId}',\n  AWS_SESSION_TOKEN: '${token}',\n};`,
      errors: [
        {
          message: expectedMessage('AWS session token', masked(token), ` (paired with key ID ${temporaryKeyId}, account 210987654321)`, 'a string literal', TEMPORARY_ADVICE),
          line: 3,
          column: 23,
          endColumn: 423,
          suggestions: [{ desc: suggestion('AWS_SESSION_TOKEN'), output: `const env = {\n  AWS_ACCESS_KEY_ID: '${temporaryKeyId}',\n  AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN,\n};` }],
        },
      ],
    },
  ],
});

tester.run('aws-temporary-access-key-id', plugin.rules['aws-temporary-access-key-id']!, {
  valid: ['const id = process.env.AWS_ACCESS_KEY_ID;', `const id = '${keyId}';`],
  invalid: [
    {
      code: `const id = '${temporaryKeyId}';`,
      errors: [
        {
          message: expectedMessage('AWS temporary access key ID', temporaryKeyId, ' (account 210987654321)', 'a string literal', TEMPORARY_ADVICE),
          line: 1,
          column: 13,
          endColumn: 33,
          suggestions: [{ desc: suggestion('AWS_ACCESS_KEY_ID'), output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
  ],
});

tester.run('aws-access-key-id does not report other rules', plugin.rules['aws-access-key-id']!, {
  valid: [`const id = '${temporaryKeyId}';`, `const secretAccessKey = '${secret}';`, `const sessionToken = '${token}';`],
  invalid: [],
});
