import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { useVitestForRuleTester } from '../eslint/setup.js';
import { makeKeyId } from '../helpers/keys.js';
import { TEMPORARY_ADVICE, expectedMessage, suggestion } from '../eslint/messages.js';

useVitestForRuleTester();

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 21 });
const temporaryKeyId = makeKeyId('ASIA', { account: '210987654321', seed: 22 });
const tester = new RuleTester();

tester.run('aws-temporary-access-key-id', plugin.rules['aws-temporary-access-key-id']!, {
  valid: ['const id = process.env.AWS_ACCESS_KEY_ID;', `const id = '${keyId}';`],
  invalid: [
    {
      code: `const id = '${temporaryKeyId}';`,
      errors: [
        {
          message: expectedMessage(
            'AWS temporary access key ID',
            temporaryKeyId,
            ' (account 210987654321)',
            'a string literal',
            TEMPORARY_ADVICE,
          ),
          line: 1,
          column: 13,
          endColumn: 33,
          suggestions: [{ desc: suggestion('AWS_ACCESS_KEY_ID'), output: 'const id = process.env.AWS_ACCESS_KEY_ID;' }],
        },
      ],
    },
  ],
});
