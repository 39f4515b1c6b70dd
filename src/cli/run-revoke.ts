import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { KeyStatus } from '../core/types.js';
import {
  executeRevocation,
  isRevocableKeyId,
  planRevocation,
  RevokeError,
  type RevokeOutcome,
  type RevokePlan,
  type RevokeTarget,
} from '../iam/revoke.js';
import { describeKeyStatus } from '../report/message.js';
import { printable } from '../report/text.js';
import { UsageError } from '../errors.js';
import { DEFAULT_REGION, DEFAULT_TIMEOUT_MS } from '../sts/client.js';
import { endpointUrl, iamEndpoint } from '../run/account-options.js';
import type { RevokeArgs } from './args-iam.js';
import { EXIT } from '../run/exit.js';
import { catalog } from '../../rules/index.js';
import type { CliIo } from './io.js';

/**
 * `keywarden revoke KEY_ID... [--yes]`: shows the plan (account, user, status, last use), refuses
 * keys that are not the caller's to touch, and only with --yes deactivates. Never deletes. One JSON
 * audit line per key and run, to stderr or --audit-log (appended, mode 0600).
 */

/** IAM user names: 1-64 of letters, digits and +=,.@_- (IAM API reference, UserName). */
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;

function validate(args: RevokeArgs): string[] {
  const keyIds = [...new Set(args.keyIds ?? [])];
  if (keyIds.length === 0) throw new UsageError('revoke: give at least one access key id');
  for (const keyId of keyIds) {
    if (catalog.accessKeyLifetime(keyId) === 'temporary')
      throw new UsageError(
        `revoke: ${keyId} is a temporary (ASIA) key id: it cannot be deactivated, it expires; revoke the role's active sessions instead`,
      );
    if (!isRevocableKeyId(keyId))
      throw new UsageError(`revoke: "${keyId}" is not a long-term access key id (AKIA and 16 characters A-Z, 2-7)`);
  }
  if (args.user !== undefined && !IAM_USER_NAME.test(args.user)) throw new UsageError(`--user: "${args.user}" is not an IAM user name`);
  if (args.stsTimeout !== undefined && !(Number.isInteger(args.stsTimeout) && args.stsTimeout >= 1 && args.stsTimeout <= 600_000)) {
    throw new UsageError(`--sts-timeout: "${args.stsTimeout}" must be a whole number from 1 to 600000`);
  }
  if (args.auditLog === '') throw new UsageError('--audit-log needs a file name');
  return keyIds;
}

function describeStatus(keyStatus: KeyStatus | null): string {
  if (!keyStatus) return 'status unknown';
  // The user is already on the line.
  const text = describeKeyStatus({ ...keyStatus, user: null }).replace(/^key status: /, '');
  return keyStatus.created ? `${text}, created ${keyStatus.created.slice(0, 10)}` : text;
}

function planLines(plan: RevokePlan, yes: boolean): string[] {
  const lines = [`Caller: ${plan.caller.arn || '(no ARN)'} (account ${plan.caller.account})`, ''];
  for (const target of plan.targets) {
    const facts = [`account ${target.account ?? 'unknown'}`];
    if (!target.refusal) facts.push(`user ${target.user}`, describeStatus(target.keyStatus));
    lines.push(`${target.keyId}  ${facts.join(', ')}`);
    if (target.note) lines.push(`  note: ${target.note}`);
    if (target.refusal) lines.push(`  REFUSED: ${target.refusal}`);
    else if (target.keyStatus?.status === 'inactive') lines.push('  already inactive: nothing to do');
    else lines.push(`  ${yes ? '->' : 'would'} deactivate (IAM UpdateAccessKey Status=Inactive)`);
  }
  return lines;
}

/** AWS's rotation procedure after deactivation (IAM User Guide, "Rotating access keys"), and where to look for misuse. */
function nextSteps(targets: readonly RevokeTarget[]): string[] {
  const lines = ['', 'Next steps (AWS rotation procedure; keywarden never deletes keys):'];
  for (const { keyId, user } of targets) {
    lines.push(
      `  ${keyId} (user ${user}):`,
      `    1. Create a replacement key and deploy it where the old one was used: aws iam create-access-key --user-name ${user}`,
      '    2. Move every application and person to the replacement; if something breaks, reactivate the old key for the move:',
      `       aws iam update-access-key --user-name ${user} --access-key-id ${keyId} --status Active`,
      `    3. After a waiting period with nothing broken, delete the inactive key: aws iam delete-access-key --user-name ${user} --access-key-id ${keyId}`,
      `    Review what the key did (CloudTrail, last 90 days): aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${keyId}`,
    );
  }
  return lines;
}

interface AuditSink {
  write(entry: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Opened before any call, so an unwritable audit log stops the run before anything is changed. */
async function openAudit(args: RevokeArgs, io: CliIo): Promise<AuditSink> {
  if (args.auditLog === undefined) {
    return {
      write: async (entry) => void io.stderr.write(`${JSON.stringify(entry)}\n`),
      close: async () => undefined,
    };
  }
  let handle: FileHandle;
  try {
    handle = await open(path.resolve(io.cwd, args.auditLog), 'a', 0o600);
  } catch (error) {
    throw new UsageError(`--audit-log: cannot open ${args.auditLog}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return {
    write: async (entry) => void (await handle.appendFile(`${JSON.stringify(entry)}\n`, 'utf8')),
    close: () => handle.close(),
  };
}

function auditEntry(plan: RevokePlan, target: RevokeTarget, result: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    time: new Date().toISOString(),
    tool: 'keywarden',
    action: 'revoke',
    result,
    keyId: target.keyId,
    account: target.account,
    user: target.user,
    status: target.keyStatus?.status ?? null,
    caller: plan.caller.arn || plan.caller.account,
    ...extra,
  };
}

export async function runRevoke(args: RevokeArgs, io: CliIo): Promise<number> {
  const keyIds = validate(args);
  const region = args.region ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || DEFAULT_REGION);
  const stsEndpoint = endpointUrl(
    args.stsEndpoint ?? io.env.AWS_ENDPOINT_URL_STS,
    args.stsEndpoint !== undefined ? '--sts-endpoint' : 'AWS_ENDPOINT_URL_STS',
  );
  const endpoint = iamEndpoint(args.iamEndpoint, io.env, true);
  const timeoutMs = args.stsTimeout ?? DEFAULT_TIMEOUT_MS;
  const iam = { ...(endpoint ? { endpoint } : {}), timeoutMs };
  const audit = await openAudit(args, io);
  try {
    let plan: RevokePlan;
    try {
      plan = await planRevocation(keyIds, {
        sts: { region, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}), timeoutMs },
        iam,
        ...(args.user ? { user: args.user } : {}),
      });
    } catch (error) {
      if (error instanceof RevokeError) throw new UsageError(`revoke: ${error.message}; nothing was changed`);
      throw error;
    }
    for (const line of planLines(plan, args.yes)) io.stdout.write(`${printable(line)}\n`);
    const refused = plan.targets.filter((target) => target.refusal);
    if (refused.length > 0) {
      for (const target of plan.targets)
        await audit.write(
          auditEntry(plan, target, target.refusal ? 'refused' : 'not-sent', target.refusal ? { reason: target.refusal } : {}),
        );
      io.stderr.write(
        `keywarden: revoke: refused ${refused.length} of ${plan.targets.length} key${plan.targets.length === 1 ? '' : 's'}; nothing was sent\n`,
      );
      return EXIT.error;
    }
    if (!args.yes) {
      for (const target of plan.targets) await audit.write(auditEntry(plan, target, 'planned', { dryRun: true }));
      io.stdout.write(
        `${nextSteps(plan.targets).map(printable).join('\n')}\n\nDry run: nothing was changed. Run again with --yes to deactivate.\n`,
      );
      return EXIT.clean;
    }
    const outcomes = await executeRevocation(plan, iam);
    const failed: RevokeOutcome[] = [];
    for (const outcome of outcomes) {
      const target = plan.targets.find((candidate) => candidate.keyId === outcome.keyId)!;
      const extra: Record<string, unknown> =
        outcome.result === 'deactivated' && outcome.requestId
          ? { requestId: outcome.requestId }
          : outcome.result === 'failed'
            ? { error: outcome.error }
            : {};
      await audit.write(auditEntry(plan, target, outcome.result, extra));
      if (outcome.result === 'failed') failed.push(outcome);
      io.stdout.write(
        printable(`${outcome.keyId}: ${outcome.result === 'failed' ? `NOT deactivated: ${outcome.error}` : outcome.result}`) + '\n',
      );
    }
    io.stdout.write(`${nextSteps(plan.targets).map(printable).join('\n')}\n`);
    if (failed.length > 0) {
      io.stderr.write(`keywarden: revoke: ${failed.length} key${failed.length === 1 ? '' : 's'} not deactivated\n`);
      return EXIT.error;
    }
    return EXIT.clean;
  } finally {
    await audit.close();
  }
}
