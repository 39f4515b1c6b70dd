import type { Remediation } from './types.js';

/**
 * The one-sentence advice for reports and for the editor, from AWS's guidance for an exposed key
 * (docs/aws-credentials.md, "What AWS tells users to do with a leaked key"): long-term keys are
 * rotated (a new key deployed first, then the exposed one deactivated and deleted); temporary
 * credentials expire, so their sessions are revoked instead.
 */
export const LONG_TERM_REMEDIATION: Remediation = {
  report: 'Rotate: deploy a replacement key, then deactivate and delete this one.',
  editor:
    'Move it to the environment or a secret manager, then rotate the key (create a new one, deploy it, deactivate and delete this one).',
};

export const TEMPORARY_REMEDIATION: Remediation = {
  report: "Remove it; if it has not expired, revoke the role's active sessions.",
  editor: "Move it to the environment or a secret manager, then revoke the issuing role's active sessions if it has not expired.",
};

/**
 * Remediation text shared by the rules, from AWS's guidance for exposed access keys
 * (docs/aws-credentials.md, "What AWS tells users to do with a leaked key").
 */
export const ROTATE_LONG_TERM_KEY = `### What to do
1. **Treat the key as compromised**, even if the repository is private: anything pushed may already be copied.
2. Create a second access key for the same IAM user, deploy it wherever the old one is used, and check the old key's *last used* time in IAM to confirm nothing still depends on it.
3. **Deactivate, then delete** the exposed key (IAM console, or \`aws iam update-access-key --status Inactive\` then \`aws iam delete-access-key\`).
4. Review CloudTrail for activity by the key since it was exposed.
5. Remove the key from the code and, if it was committed, from history; keep credentials in the environment, the shared credentials file, or a secret manager.
6. Prefer IAM roles and temporary credentials over long-term keys. A root user should have no access keys at all.

Run \`keywarden scan --resolve-accounts\` to learn which AWS account owns a key id, so you know whether the key is yours to rotate or a third party's to report.`;

export const TEMPORARY_CREDENTIALS = `### What to do
Temporary credentials (key ids starting with \`ASIA\`) expire, but until they do they act with the full permissions of the role or user that created them.
1. Remove them from the code; they should come from the environment, an instance profile, or an SDK credential provider at run time.
2. If they have not expired, revoke the role's active sessions (IAM console: *Revoke active sessions*, which denies tokens issued before now) or wait for expiry if that is acceptable.
3. Review CloudTrail for the session's activity.
4. Find out how they were written down (a debug log, a test fixture, a copied shell session) and stop it happening again.`;
