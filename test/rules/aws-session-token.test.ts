import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { useVitestForRuleTester } from '../eslint/setup.js';
import { makeKeyId, makeSessionToken } from '../helpers/keys.js';
import { TEMPORARY_ADVICE, expectedMessage, suggestion } from '../eslint/messages.js';

useVitestForRuleTester();

const temporaryKeyId = makeKeyId('ASIA', { account: '210987654321', seed: 22 });
const token = makeSessionToken(25, 400);
const tester = new RuleTester();

const masked = (value: string) => `${value.slice(0, 4)}${'*'.repeat(16)}`;

tester.run('aws-session-token', plugin.rules['aws-session-token']!, {
  valid: [
    'const sessionToken = process.env.AWS_SESSION_TOKEN;',
    { code: `const sessionToken = '${token}';`, options: [{ allow: [`^${token.slice(0, 30)}`] }] },
  ],
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
          message: expectedMessage(
            'AWS session token',
            masked(token),
            ` (paired with key ID ${temporaryKeyId}, account 210987654321)`,
            'a string literal',
            TEMPORARY_ADVICE,
          ),
          line: 3,
          column: 23,
          endColumn: 423,
          suggestions: [
            {
              desc: suggestion('AWS_SESSION_TOKEN'),
              output: `const env = {\n  AWS_ACCESS_KEY_ID: '${temporaryKeyId}',\n  AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN,\n};`,
            },
          ],
        },
      ],
    },
  ],
});
