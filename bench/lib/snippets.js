/**
 * Credential snippets in the syntaxes people commit them in, and decoys that look close but are
 * not credentials. Each snippet writes into a Doc and marks what a scanner should (plants) and
 * should not (decoys) report. Syntax names show up in the recall table, so keep them stable.
 */
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET, PREFIX, TOKEN_PREFIXES } from './keys.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const escapeSlash = (value) => value.replaceAll('/', '\\/');
const urlEncode = (value) => encodeURIComponent(value);
const isoDate = (r) => `20${r.int(19, 25)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;

/** Snippets that plant credentials, by the file family they fit in. */
export const PLANTS = {
  env: {
    'env-file': (d, r, k) => {
      const temp = r.chance(0.3);
      d.add('AWS_ACCESS_KEY_ID=').keyId('env-file', k.keyId(temp ? 'ASIA' : 'AKIA'));
      d.add('\nAWS_SECRET_ACCESS_KEY=').secret('env-file', k.secret());
      if (temp) d.add('\nAWS_SESSION_TOKEN=').token('env-file', k.token());
      d.add(`\nAWS_DEFAULT_REGION=${r.pick(REGIONS)}\n`);
    },
    'env-quoted': (d, r, k) => {
      d.add('export AWS_ACCESS_KEY_ID="').keyId('env-quoted', k.keyId()).add('"\n');
      d.add('export AWS_SECRET_ACCESS_KEY="').secret('env-quoted', k.secret()).add('"\n');
    },
    'env-session-token-only': (d, r, k) => {
      d.add('AWS_SESSION_TOKEN=').token('env-session-token-only', k.token()).add('\n');
    },
  },
  ini: {
    'ini-credentials': (d, r, k) => {
      const temp = r.chance(0.3);
      d.add(`[${r.pick(['default', 'prod', 'staging', 'ci', 'deploy'])}]\naws_access_key_id = `).keyId(
        'ini-credentials',
        k.keyId(temp ? 'ASIA' : 'AKIA'),
      );
      d.add('\naws_secret_access_key = ').secret('ini-credentials', k.secret());
      if (temp) d.add('\naws_session_token = ').token('ini-credentials', k.token());
      d.add(`\nregion = ${r.pick(REGIONS)}\n\n`);
    },
    'ini-keyword-only-token': (d, r, k) => {
      d.add('[assumed]\naws_session_token=')
        .token('ini-keyword-only-token', k.token({ prefix: '' }))
        .add('\n\n');
    },
    'java-properties': (d, r, k) => {
      d.add('aws.accessKeyId=').keyId('java-properties', k.keyId()).add('\n');
      d.add('aws.secretKey=').secret('java-properties', k.secret()).add('\n');
    },
  },
  yaml: {
    'yaml-env-block': (d, r, k) => {
      d.add('        env:\n          - name: AWS_ACCESS_KEY_ID\n            value: ').keyId('yaml-env-block', k.keyId());
      d.add('\n          - name: AWS_SECRET_ACCESS_KEY\n            value: "').secret('yaml-env-block', k.secret()).add('"\n');
    },
    'yaml-map': (d, r, k) => {
      d.add('  AWS_ACCESS_KEY_ID: ').keyId('yaml-map', k.keyId());
      d.add("\n  AWS_SECRET_ACCESS_KEY: '").secret('yaml-map', k.secret()).add("'\n");
    },
    'yaml-camel': (d, r, k) => {
      d.add('aws:\n  accessKeyId: ').keyId('yaml-camel', k.keyId()).add('\n  secretAccessKey: ').secret('yaml-camel', k.secret()).add('\n');
    },
    'yaml-actions-with': (d, r, k) => {
      d.add('      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ').keyId(
        'yaml-actions-with',
        k.keyId(),
      );
      d.add('\n          aws-secret-access-key: ')
        .secret('yaml-actions-with', k.secret())
        .add(`\n          aws-region: ${r.pick(REGIONS)}\n`);
    },
  },
  json: {
    'json-sdk-config': (d, r, k) => {
      d.add('  "accessKeyId": "')
        .keyId('json-sdk-config', k.keyId())
        .add('",\n  "secretAccessKey": "')
        .secret('json-sdk-config', k.secret())
        .add(`",\n  "region": "${r.pick(REGIONS)}",\n`);
    },
    'json-sts-output': (d, r, k) => {
      d.add('  "Credentials": {\n    "AccessKeyId": "').keyId('json-sts-output', k.keyId('ASIA'));
      d.add('",\n    "SecretAccessKey": "').secret('json-sts-output', k.secret());
      d.add('",\n    "SessionToken": "').token('json-sts-output', k.token());
      d.add(`",\n    "Expiration": "${isoDate(r)}T12:00:00+00:00"\n  },\n`);
    },
    'json-double-encoded': (d, r, k) => {
      d.add('  "body": "{\\"accessKeyId\\":\\"')
        .keyId('json-double-encoded', k.keyId())
        .add('\\",\\"secretAccessKey\\":\\"')
        .secret('json-double-encoded', k.secret())
        .add('\\"}",\n');
    },
    'json-escaped-slash': (d, r, k) => {
      d.add('  "aws_secret_access_key": "')
        .secret('json-escaped-slash', escapeSlash(k.secret({ slash: true })))
        .add('",\n');
    },
  },
  js: {
    'js-object': (d, r, k) => {
      d.add(`const client = new S3Client({\n  region: '${r.pick(REGIONS)}',\n  credentials: {\n    accessKeyId: '`).keyId(
        'js-object',
        k.keyId(),
      );
      d.add("',\n    secretAccessKey: '").secret('js-object', k.secret()).add("',\n  },\n});\n\n");
    },
    'js-constructor': (d, r, k) => {
      d.add("AWS.config.credentials = new AWS.Credentials('")
        .keyId('js-constructor', k.keyId())
        .add("', '")
        .secret('js-constructor', k.secret())
        .add("');\n\n");
    },
    'js-env-fallback': (d, r, k) => {
      d.add("const secret = process.env.AWS_SECRET_ACCESS_KEY || '").secret('js-env-fallback', k.secret()).add("';\n\n");
    },
    'ts-typed-const': (d, r, k) => {
      d.add('const secretAccessKey: string = "').secret('ts-typed-const', k.secret()).add('";\n\n');
    },
    'js-session-token': (d, r, k) => {
      d.add('  sessionToken: "').token('js-session-token', k.token()).add('",\n');
    },
  },
  python: {
    'python-kwargs': (d, r, k) => {
      d.add("    client = boto3.client(\n        's3',\n        aws_access_key_id='").keyId('python-kwargs', k.keyId());
      d.add("',\n        aws_secret_access_key='").secret('python-kwargs', k.secret()).add("',\n    )\n\n");
    },
    'python-session-kwargs': (d, r, k) => {
      d.add("    session = boto3.Session(aws_access_key_id='").keyId('python-session-kwargs', k.keyId('ASIA'));
      d.add("', aws_secret_access_key='")
        .secret('python-session-kwargs', k.secret())
        .add("', aws_session_token='")
        .token('python-session-kwargs', k.token())
        .add("')\n\n");
    },
    'python-annotated': (d, r, k) => {
      d.add('aws_secret: str = "').secret('python-annotated', k.secret()).add('"\n\n');
    },
    'python-environ-default': (d, r, k) => {
      d.add('AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "').secret('python-environ-default', k.secret()).add('")\n\n');
    },
  },
  go: {
    'go-static-credentials': (d, r, k) => {
      d.add('\tcreds := credentials.NewStaticCredentials("')
        .keyId('go-static-credentials', k.keyId())
        .add('", "')
        .secret('go-static-credentials', k.secret())
        .add('", "")\n\n');
    },
    'go-typed-var': (d, r, k) => {
      d.add('var secretKey string = "').secret('go-typed-var', k.secret()).add('"\n\n');
    },
    'go-setenv': (d, r, k) => {
      d.add('\tos.Setenv("AWS_SECRET_ACCESS_KEY", "').secret('go-setenv', k.secret()).add('")\n\n');
    },
    'go-struct-literal': (d, r, k) => {
      d.add('\tcfg.Credentials = aws.Credentials{\n\t\tAccessKeyID:     "').keyId('go-struct-literal', k.keyId());
      d.add('",\n\t\tSecretAccessKey: "').secret('go-struct-literal', k.secret()).add('",\n\t}\n\n');
    },
  },
  java: {
    'java-basic-credentials': (d, r, k) => {
      d.add('        AWSCredentials credentials = new BasicAWSCredentials("')
        .keyId('java-basic-credentials', k.keyId())
        .add('", "')
        .secret('java-basic-credentials', k.secret())
        .add('");\n\n');
    },
    'java-session-credentials': (d, r, k) => {
      d.add('        BasicSessionCredentials session = new BasicSessionCredentials(\n            "').keyId(
        'java-session-credentials',
        k.keyId('ASIA'),
      );
      d.add('",\n            "')
        .secret('java-session-credentials', k.secret())
        .add('",\n            "')
        .token('java-session-credentials', k.token())
        .add('");\n\n');
    },
    'java-builder': (d, r, k) => {
      d.add('        builder.withSecretKey("').secret('java-builder', k.secret()).add('");\n\n');
    },
  },
  dockerfile: {
    'dockerfile-env': (d, r, k) => {
      d.add('ENV AWS_ACCESS_KEY_ID=')
        .keyId('dockerfile-env', k.keyId())
        .add(' \\\n    AWS_SECRET_ACCESS_KEY=')
        .secret('dockerfile-env', k.secret())
        .add('\n');
    },
    'dockerfile-env-space': (d, r, k) => {
      d.add('ENV AWS_SECRET_ACCESS_KEY ').secret('dockerfile-env-space', k.secret()).add('\n');
    },
  },
  markdown: {
    'markdown-shell-block': (d, r, k) => {
      d.add('```sh\nexport AWS_ACCESS_KEY_ID=').keyId('markdown-shell-block', k.keyId());
      d.add('\nexport AWS_SECRET_ACCESS_KEY=').secret('markdown-shell-block', k.secret()).add('\n```\n\n');
    },
    'markdown-inline-pair': (d, r, k) => {
      d.add('The deploy user is `')
        .keyId('markdown-inline-pair', k.keyId())
        .add('` with secret `')
        .secret('markdown-inline-pair', k.secret())
        .add('`.\n\n');
    },
    'csv-console-export': (d, r, k) => {
      d.add('```csv\nUser name,Password,Access key ID,Secret access key,Console login link\nci-bot,,').keyId(
        'csv-console-export',
        k.keyId(),
      );
      d.add(',').secret('csv-console-export', k.secret()).add(',https://signin.aws.amazon.com/console\n```\n\n');
    },
    'hcl-provider': (d, r, k) => {
      d.add(`\`\`\`hcl\nprovider "aws" {\n  region     = "${r.pick(REGIONS)}"\n  access_key = "`).keyId('hcl-provider', k.keyId());
      d.add('"\n  secret_key = "').secret('hcl-provider', k.secret()).add('"\n}\n```\n\n');
    },
    'hcl-variable-default': (d, r, k) => {
      d.add('```hcl\nvariable "aws_secret_key" {\n  type    = string\n  default = "')
        .secret('hcl-variable-default', k.secret())
        .add('"\n}\n```\n\n');
    },
    'ruby-credentials-new': (d, r, k) => {
      d.add("```ruby\nAws.config.update(credentials: Aws::Credentials.new('")
        .keyId('ruby-credentials-new', k.keyId())
        .add("', '")
        .secret('ruby-credentials-new', k.secret())
        .add("'))\n```\n\n");
    },
    'shell-aws-configure': (d, r, k) => {
      d.add('```sh\naws configure set aws_secret_access_key ').secret('shell-aws-configure', k.secret()).add('\n```\n\n');
    },
    'xml-config': (d, r, k) => {
      d.add('```xml\n<credentials>\n  <AccessKeyId>')
        .keyId('xml-config', k.keyId())
        .add('</AccessKeyId>\n  <SecretAccessKey>')
        .secret('xml-config', k.secret())
        .add('</SecretAccessKey>\n</credentials>\n```\n\n');
    },
    'php-array': (d, r, k) => {
      d.add("```php\n'credentials' => [\n    'key'    => '")
        .keyId('php-array', k.keyId())
        .add("',\n    'secret' => '")
        .secret('php-array', k.secret())
        .add("',\n],\n```\n\n");
    },
    'presigned-url-v4': (d, r, k) => {
      d.add(`Download: https://assets-${r.hex(6)}.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=`).keyId(
        'presigned-url-v4',
        k.keyId('ASIA'),
      );
      d.add(
        `%2F${isoDate(r).replaceAll('-', '')}%2F${r.pick(REGIONS)}%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=`,
      ).token('presigned-url-v4', urlEncode(k.token()));
      d.add(`&X-Amz-SignedHeaders=host&X-Amz-Signature=${r.hex(64)}\n\n`);
    },
    'presigned-url-v2': (d, r, k) => {
      d.add(`https://bucket-${r.hex(6)}.s3.amazonaws.com/a.zip?AWSAccessKeyId=`)
        .keyId('presigned-url-v2', k.keyId())
        .add(`&Expires=${r.int(1600000000, 1800000000)}&Signature=${urlEncode(r.base64(27))}%3D\n\n`);
    },
    'url-encoded-secret': (d, r, k) => {
      d.add('    s3://bucket/path?aws_secret_access_key=')
        .secret('url-encoded-secret', urlEncode(k.secret({ slash: true })))
        .add('&region=us-east-1\n\n');
    },
  },
  minified: {
    'minified-object': (d, r, k) => {
      d.add(`var ${r.alnum(2)}={region:"${r.pick(REGIONS)}",credentials:{accessKeyId:"`)
        .keyId('minified-object', k.keyId())
        .add('",secretAccessKey:"')
        .secret('minified-object', k.secret())
        .add('"}};');
    },
    'minified-constructor': (d, r, k) => {
      d.add('new a.Credentials("')
        .keyId('minified-constructor', k.keyId())
        .add('","')
        .secret('minified-constructor', k.secret())
        .add('");');
    },
  },
};

/** Near misses: each must produce no finding (documentation examples count as examples only). */
export const DECOYS = {
  env: {
    'placeholder-reference': (d) => d.add('AWS_SECRET_ACCESS_KEY=').decoy('placeholder-reference', '${AWS_SECRET_ACCESS_KEY}').add('\n'),
    'placeholder-angle': (d) => d.add('AWS_SECRET_ACCESS_KEY=').decoy('placeholder-angle', '<your-secret-access-key>').add('\n'),
    'placeholder-x': (d) =>
      d
        .add('AWS_ACCESS_KEY_ID=')
        .decoy('placeholder-x', `${PREFIX.AKIA}${'X'.repeat(16)}`)
        .add('\n'),
    'doc-example-pair': (d) =>
      d
        .add('AWS_ACCESS_KEY_ID=')
        .decoy('doc-example', DOC_EXAMPLE_KEY_ID)
        .add('\nAWS_SECRET_ACCESS_KEY=')
        .decoy('doc-example', DOC_EXAMPLE_SECRET)
        .add('\n'),
    'hex-after-keyword': (d, r) => d.add('WEBHOOK_SECRET=').decoy('hex-after-keyword', r.hex(40)).add('\n'),
  },
  json: {
    'cloudtrail-unique-ids': (d, r) => {
      d.add('  "userIdentity": {"type": "AssumedRole", "principalId": "')
        .decoy('iam-unique-id', `${PREFIX.AROA}${r.base32(16)}`)
        .add(`:session-${r.hex(6)}", "userId": "`);
      d.decoy('iam-unique-id', `${PREFIX.AIDA}${r.base32(16)}`).add('"},\n');
    },
    'checksum-40-base64': (d, r) => d.add('  "checksum": "').decoy('unpaired-40-base64', r.base64(40)).add('",\n'),
    'hex-secret': (d, r) => d.add('  "client_secret": "').decoy('hex-after-keyword', r.hex(40)).add('",\n'),
    'jwt-session-token': (d, r) =>
      d
        .add('  "sessionToken": "')
        .decoy(
          'jwt-after-token-keyword',
          `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${r.base64(180).replace(/[+/]/g, '_')}.${r.base64(43).replace(/[+/]/g, '-')}`,
        )
        .add('",\n'),
    'doc-example-json': (d) =>
      d
        .add('  "accessKeyId": "')
        .decoy('doc-example', DOC_EXAMPLE_KEY_ID)
        .add('", "secretAccessKey": "')
        .decoy('doc-example', DOC_EXAMPLE_SECRET)
        .add('",\n'),
  },
  code: {
    'long-base32-token': (d, r) =>
      d
        .add('const totpSeed = "')
        .decoy('long-base32-token', `${PREFIX.AKIA}${r.base32(28)}`)
        .add('";\n'),
    'unpaired-40-base64': (d, r) => d.add("const cacheKey = '").decoy('unpaired-40-base64', r.base64(40)).add("';\n"),
    'secret-placeholder-words': (d) =>
      d.add("const awsSecretAccessKey = '").decoy('placeholder-words', 'YOUR_SECRET_ACCESS_KEY_GOES_HERE_1234567').add("';\n"),
    'secret-hex-sha1': (d, r) => d.add('secret_key = "').decoy('hex-after-keyword', r.hex(40)).add('"\n'),
    'session-token-hex': (d, r) => d.add('session_token = "').decoy('hex-after-token-keyword', r.hex(128)).add('"\n'),
    'iam-role-id': (d, r) =>
      d
        .add('// role id ')
        .decoy('iam-unique-id', `${PREFIX.AROA}${r.base32(16)}`)
        .add('\n'),
    'token-prefix-short': (d, r) =>
      d
        .add("const marker = '")
        .decoy('token-prefix-too-short', TOKEN_PREFIXES[0] + r.base64(40))
        .add("';\n"),
  },
};

/** The syntax names a corpus can contain, for reports that list zero counts too. */
export const PLANT_SYNTAXES = Object.values(PLANTS).flatMap((group) => Object.keys(group));
