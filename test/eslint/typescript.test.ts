import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { makeKeyId } from '../helpers/keys.js';
import { jsxParserOptions, typescriptParser, useVitestForRuleTester } from './setup.js';
import { suggestion } from './messages.js';

useVitestForRuleTester();

const keyId = makeKeyId('AKIA', { account: '123456789012', seed: 31 });
const useEnv = suggestion('AWS_ACCESS_KEY_ID');
const env = 'process.env.AWS_ACCESS_KEY_ID';

const tester = new RuleTester({ languageOptions: { parser: typescriptParser, parserOptions: jsxParserOptions } });

tester.run('aws-access-key-id (typescript-eslint)', plugin.rules['aws-access-key-id']!, {
  valid: [
    { code: `const id: string = process.env.AWS_ACCESS_KEY_ID ?? '';`, filename: 'config.ts' },
    { code: `type ${keyId} = string;`, filename: 'types.ts' },
    { code: `const id: string = '${keyId}'; // keywarden:allow`, filename: 'allowed.ts' },
  ],
  invalid: [
    {
      code: `const id: string = '${keyId}';`,
      filename: 'config.ts',
      errors: [
        {
          messageId: 'credential',
          line: 1,
          column: 21,
          endLine: 1,
          endColumn: 41,
          suggestions: [{ desc: useEnv, output: `const id: string = ${env};` }],
        },
      ],
    },
    {
      code: `type Known = '${keyId}';`,
      filename: 'types.ts',
      errors: [{ messageId: 'credential', column: 15, endColumn: 35, suggestions: [] }],
    },
    {
      code: `interface Keys {\n  ci: '${keyId}';\n}`,
      filename: 'types.ts',
      errors: [{ messageId: 'credential', line: 2, column: 8, endColumn: 28, suggestions: [] }],
    },
    {
      code: `enum Keys { Ci = '${keyId}' }`,
      filename: 'enum.ts',
      errors: [{ messageId: 'credential', column: 19, endColumn: 39, suggestions: [] }],
    },
    {
      code: `class Client {\n  private key = '${keyId}';\n}`,
      filename: 'client.ts',
      errors: [
        {
          messageId: 'credential',
          line: 2,
          column: 18,
          endColumn: 38,
          suggestions: [{ desc: useEnv, output: `class Client {\n  private key = ${env};\n}` }],
        },
      ],
    },
    {
      code: `const id = \`${keyId}\` as const;`,
      filename: 'const.ts',
      errors: [
        { messageId: 'credential', column: 13, endColumn: 33, suggestions: [{ desc: useEnv, output: `const id = ${env} as const;` }] },
      ],
    },
    {
      code: `/**\n * @example ${keyId}\n */\nexport function f(): void {}`,
      filename: 'doc.ts',
      errors: [{ messageId: 'credential', line: 2, column: 13, endColumn: 33, suggestions: [] }],
    },
    {
      code: `const a = <Login keyId="${keyId}" />;`,
      filename: 'login.tsx',
      errors: [
        {
          messageId: 'credential',
          column: 25,
          endColumn: 45,
          suggestions: [{ desc: useEnv, output: `const a = <Login keyId={${env}} />;` }],
        },
      ],
    },
    {
      code: `const b = <Login keyId={'${keyId}'} />;`,
      filename: 'login.tsx',
      errors: [
        {
          messageId: 'credential',
          column: 26,
          endColumn: 46,
          suggestions: [{ desc: useEnv, output: `const b = <Login keyId={${env}} />;` }],
        },
      ],
    },
    {
      code: `const c = <p>Key: ${keyId}</p>;`,
      filename: 'help.tsx',
      errors: [
        { messageId: 'credential', column: 19, endColumn: 39, suggestions: [{ desc: useEnv, output: `const c = <p>Key: {${env}}</p>;` }] },
      ],
    },
    {
      code: `function View<T>(props: T) {\n  return <div title={\`id: ${keyId}\`}>{props as string}</div>;\n}`,
      filename: 'view.tsx',
      errors: [
        {
          messageId: 'credential',
          line: 2,
          column: 27,
          endColumn: 47,
          suggestions: [
            { desc: useEnv, output: `function View<T>(props: T) {\n  return <div title={\`id: \${${env}}\`}>{props as string}</div>;\n}` },
          ],
        },
      ],
    },
  ],
});
