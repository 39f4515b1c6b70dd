import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';
import { tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';
import { answers, type AwsHandler } from '../helpers/aws-query-server.js';
import { actions, useFakeAws } from './harness.js';

const serve = useFakeAws();
const MINE = '111122223333';
const CALLER_ARN = `arn:aws:iam::${MINE}:user/security`;

/** STS and IAM for the caller's account: `accounts` maps key id -> owning account (GetAccessKeyInfo), alice owns `alice`. */
function aws(
  accounts: Record<string, string>,
  alice?: string,
  overrides: Partial<Record<string, AwsHandler>> = {},
  status: 'Active' | 'Inactive' = 'Active',
): AwsHandler {
  return (call, index) => {
    const override = overrides[call.action];
    if (override) return override(call, index);
    switch (call.action) {
      case 'GetCallerIdentity':
        return answers.callerIdentity(MINE, CALLER_ARN);
      case 'GetAccessKeyInfo': {
        const account = accounts[call.params.AccessKeyId!];
        return account
          ? answers.accessKeyInfo(account)
          : { error: 'AccessDenied', message: 'not authorized to perform sts:GetAccessKeyInfo' };
      }
      case 'GetAccessKeyLastUsed':
        return answers.lastUsed('alice', { date: '2026-11-20T08:15:00Z', service: 's3', region: 'us-west-2' });
      case 'ListAccessKeys':
        return answers.listKeys('alice', [{ keyId: alice!, status, created: '2026-01-02T03:04:05Z' }]);
      case 'UpdateAccessKey':
        return answers.updated();
      default:
        return { error: 'InvalidAction', message: `unexpected ${call.action}` };
    }
  };
}

function revoke(endpoint: string, args: string[], cwd = tempTree()) {
  return runCli(['revoke', ...args, '--iam-endpoint', endpoint, '--sts-endpoint', endpoint], { cwd });
}

/** The JSON audit lines among stderr's lines. */
function auditLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('keywarden revoke', () => {
  it('with --yes deactivates an owned key, prints the rotation steps and the CloudTrail query, and audits', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 401 });
    const server = await serve(aws({ [key]: MINE }, key));
    const result = await revoke(server.endpoint, [key, '--yes']);
    expect(result.code).toBe(0);
    expect(actions(server.calls)).toEqual([
      'sts:GetCallerIdentity',
      'sts:GetAccessKeyInfo',
      'iam:GetAccessKeyLastUsed',
      'iam:ListAccessKeys',
      'iam:UpdateAccessKey',
    ]);
    expect(server.calls.at(-1)!.params).toEqual({ UserName: 'alice', AccessKeyId: key, Status: 'Inactive' });
    expect(result.stdout).toContain(`Caller: ${CALLER_ARN} (account ${MINE})`);
    expect(result.stdout).toContain(`${key}  account ${MINE}, user alice, ACTIVE, last used 2026-11-20 s3 us-west-2, created 2026-01-02`);
    expect(result.stdout).toContain(`${key}: deactivated`);
    expect(result.stdout).toContain('aws iam create-access-key --user-name alice');
    expect(result.stdout).toContain(
      `After a waiting period with nothing broken, delete the inactive key: aws iam delete-access-key --user-name alice --access-key-id ${key}`,
    );
    expect(result.stdout).toContain(`aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${key}`);
    // Never deletes: no DeleteAccessKey was sent (only the five calls above).
    const audit = auditLines(result.stderr);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tool: 'keywarden',
      action: 'revoke',
      result: 'deactivated',
      keyId: key,
      account: MINE,
      user: 'alice',
      status: 'active',
      caller: CALLER_ARN,
    });
    expect(typeof audit[0]!.requestId).toBe('string');
    expect(Number.isNaN(Date.parse(audit[0]!.time as string))).toBe(false);
  });

  it('works from the built bin, which loads the IAM SDK lazily from node_modules', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 418 });
    const server = await serve(aws({ [key]: MINE }, key));
    const cwd = tempTree();
    const result = await runBin(['revoke', key], {
      cwd,
      env: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_IAM: server.endpoint,
        AWS_ENDPOINT_URL_STS: server.endpoint,
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would deactivate');
    expect(actions(server.calls)).toEqual([
      'sts:GetCallerIdentity',
      'sts:GetAccessKeyInfo',
      'iam:GetAccessKeyLastUsed',
      'iam:ListAccessKeys',
    ]);
  });

  it('without --yes shows the plan and sends nothing that changes anything', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 402 });
    const server = await serve(aws({ [key]: MINE }, key));
    const result = await revoke(server.endpoint, [key]);
    expect(result.code).toBe(0);
    expect(actions(server.calls)).not.toContain('iam:UpdateAccessKey');
    expect(result.stdout).toContain('would deactivate (IAM UpdateAccessKey Status=Inactive)');
    expect(result.stdout).toContain('Dry run: nothing was changed. Run again with --yes to deactivate.');
    expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ result: 'planned', dryRun: true, keyId: key })]);
  });

  it('refuses a key of another account (checked with GetAccessKeyInfo): exit 2, no IAM call, nothing else in the batch sent', async () => {
    const mine = makeKeyId('AKIA', { account: MINE, seed: 403 });
    // Its offline decode says MINE, STS says otherwise: STS decides.
    const theirs = makeKeyId('AKIA', { account: MINE, seed: 404 });
    const server = await serve(aws({ [mine]: MINE, [theirs]: '999988887777' }, mine));
    const result = await revoke(server.endpoint, [mine, theirs, '--yes']);
    expect(result.code).toBe(2);
    expect(actions(server.calls)).not.toContain('iam:UpdateAccessKey');
    expect(server.calls.filter((c) => c.service === 'iam').every((c) => c.params.AccessKeyId !== theirs)).toBe(true);
    expect(result.stdout).toContain(`REFUSED: it belongs to account 999988887777, not the caller's account ${MINE}`);
    expect(result.stderr).toContain('keywarden: revoke: refused 1 of 2 keys; nothing was sent');
    expect(auditLines(result.stderr).map((line) => [line.keyId, line.result])).toEqual([
      [mine, 'not-sent'],
      [theirs, 'refused'],
    ]);
  });

  it('refuses a canary-token key before any call names it', async () => {
    const canary = makeKeyId('AKIA', { account: '534261010715', seed: 405 });
    const server = await serve(aws({}));
    const result = await revoke(server.endpoint, [canary, '--yes']);
    expect(result.code).toBe(2);
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity']);
    expect(result.stdout).toContain('REFUSED: account 534261010715 is a canary-token account');
  });

  it('refuses a legacy key STS places in a canary account', async () => {
    const legacy = makeKeyId('AKIA', { legacy: true, seed: 406 });
    const server = await serve(aws({ [legacy]: '717712589309' }));
    const result = await revoke(server.endpoint, [legacy, '--yes']);
    expect(result.code).toBe(2);
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity', 'sts:GetAccessKeyInfo']);
  });

  it('refuses a key whose account is unknown (GetAccessKeyInfo denied)', async () => {
    const legacy = makeKeyId('AKIA', { legacy: true, seed: 407 });
    const server = await serve(aws({}));
    const result = await revoke(server.endpoint, [legacy, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      "REFUSED: its account is unknown (STS GetAccessKeyInfo failed: AccessDenied: the caller's credentials are not allowed sts:GetAccessKeyInfo",
    );
    expect(actions(server.calls)).not.toContain('iam:UpdateAccessKey');
  });

  it('refuses when --user disagrees with IAM', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 408 });
    const server = await serve(aws({ [key]: MINE }, key));
    const result = await revoke(server.endpoint, [key, '--user', 'bob', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('REFUSED: IAM says the key belongs to user alice, not --user bob');
    expect(actions(server.calls)).not.toContain('iam:UpdateAccessKey');
  });

  it('with GetAccessKeyLastUsed denied, proceeds only with --user, and says what it could not read', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 409 });
    const server = await serve(aws({ [key]: MINE }, key, { GetAccessKeyLastUsed: () => ({ error: 'AccessDenied', message: 'no' }) }));
    const without = await revoke(server.endpoint, [key, '--yes']);
    expect(without.code).toBe(2);
    expect(without.stdout).toContain('REFUSED: its IAM user is unknown: pass --user NAME');
    const withUser = await revoke(server.endpoint, [key, '--yes', '--user', 'alice']);
    expect(withUser.code).toBe(0);
    expect(withUser.stdout).toContain(
      "note: IAM GetAccessKeyLastUsed failed: AccessDenied: the caller's credentials are not allowed iam:GetAccessKeyLastUsed",
    );
    expect(server.calls.filter((c) => c.action === 'UpdateAccessKey').map((c) => c.params)).toEqual([
      { UserName: 'alice', AccessKeyId: key, Status: 'Inactive' },
    ]);
  });

  it('reports an AccessDenied UpdateAccessKey: exit 2, audited as failed', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 410 });
    const server = await serve(
      aws({ [key]: MINE }, key, {
        UpdateAccessKey: () => ({ error: 'AccessDenied', message: 'not authorized to perform: iam:UpdateAccessKey' }),
      }),
    );
    const result = await revoke(server.endpoint, [key, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${key}: NOT deactivated: AccessDenied: the caller's credentials are not allowed iam:UpdateAccessKey`);
    expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ result: 'failed', keyId: key })]);
    expect(result.stderr).toContain('keywarden: revoke: 1 key not deactivated');
  });

  it('retries a throttled UpdateAccessKey', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 411 });
    let tries = 0;
    const server = await serve(
      aws({ [key]: MINE }, key, {
        UpdateAccessKey: () => (tries++ === 0 ? { error: 'Throttling', message: 'Rate exceeded' } : answers.updated()),
      }),
    );
    const result = await revoke(server.endpoint, [key, '--yes']);
    expect(result.code).toBe(0);
    expect(actions(server.calls).filter((a) => a === 'iam:UpdateAccessKey')).toHaveLength(2);
  });

  it('gives up on an UpdateAccessKey that never answers, within --sts-timeout', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 412 });
    const server = await serve(aws({ [key]: MINE }, key, { UpdateAccessKey: () => 'hang' }));
    const result = await revoke(server.endpoint, [key, '--yes', '--sts-timeout', '300']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${key}: NOT deactivated: IAM did not answer within 300 ms (--sts-timeout)`);
  });

  it('sends nothing for a key that is already inactive', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 413 });
    const server = await serve(aws({ [key]: MINE }, key, {}, 'Inactive'));
    const result = await revoke(server.endpoint, [key, '--yes']);
    expect(result.code).toBe(0);
    expect(actions(server.calls)).not.toContain('iam:UpdateAccessKey');
    expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ result: 'already-inactive' })]);
  });

  it('appends audit lines to --audit-log (mode 0600) instead of stderr', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 414 });
    const server = await serve(aws({ [key]: MINE }, key));
    const dir = tempTree();
    await revoke(server.endpoint, [key, '--audit-log', 'audit.jsonl'], dir);
    const result = await revoke(server.endpoint, [key, '--yes', '--audit-log', 'audit.jsonl'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const file = path.join(dir, 'audit.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(auditLines(readFileSync(file, 'utf8')).map((line) => line.result)).toEqual(['planned', 'deactivated']);
  });

  it('stops before any call when the audit log cannot be opened', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 415 });
    const server = await serve(aws({ [key]: MINE }, key));
    const result = await revoke(server.endpoint, [key, '--yes', '--audit-log', 'missing/dir/audit.jsonl']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'keywarden: --audit-log: cannot open missing/dir/audit.jsonl: ENOENT\n' });
    expect(server.calls).toEqual([]);
  });

  it('stops with one line when the caller is unknown (GetCallerIdentity rejected)', async () => {
    const key = makeKeyId('AKIA', { account: MINE, seed: 416 });
    const server = await serve(
      aws({ [key]: MINE }, key, { GetCallerIdentity: () => ({ error: 'InvalidClientTokenId', message: 'bad token' }) }),
    );
    const result = await revoke(server.endpoint, [key, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keywarden: revoke: STS GetCallerIdentity failed, so the caller's account is unknown: InvalidClientTokenId: AWS rejected the caller's own credentials (bad token); nothing was changed\n",
    );
    expect(actions(server.calls)).toEqual(['sts:GetCallerIdentity']);
  });

  it.each([
    [['ASIA'], "is a temporary (ASIA) key id: it cannot be deactivated, it expires; revoke the role's active sessions instead"],
    [['not-a-key'], 'revoke: "not-a-key" is not a long-term access key id (AKIA and 16 characters A-Z, 2-7)'],
    [['AKIA', '--user', 'bad user'], '--user: "bad user" is not an IAM user name'],
    [['AKIA', '--sts-timeout', '0'], '--sts-timeout: "0" must be a whole number from 1 to 600000'],
    [['AKIA', '--iam-endpoint', 'nope'], '--iam-endpoint: "nope" is not an http(s) URL'],
  ])('rejects %j with one line, exit 2 and no call', async (args, message) => {
    const server = await serve(aws({}));
    const argv = args.map((arg) => (arg === 'AKIA' || arg === 'ASIA' ? makeKeyId(arg, { account: MINE, seed: 417 }) : arg));
    const result = await runCli(
      [
        'revoke',
        ...argv,
        '--sts-endpoint',
        server.endpoint,
        ...(argv.includes('--iam-endpoint') ? [] : ['--iam-endpoint', server.endpoint]),
      ],
      { cwd: tempTree() },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(server.calls).toEqual([]);
  });
});
