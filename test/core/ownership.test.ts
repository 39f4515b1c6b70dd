import { describe, expect, it } from 'vitest';
import { CANARY_ACCOUNTS } from '../../src/core/account.js';
import { detect } from '../helpers/engine.js';
import { labelOwnership, ownershipOf } from '../../src/core/ownership.js';
import { makeKeyId } from '../helpers/keys.js';

const canary = [...CANARY_ACCOUNTS][0]!;

describe('ownershipOf', () => {
  const owned = { '111122223333': 'prod', '012345678901': '' };

  it('labels an owned account with its name, or without one when unnamed', () => {
    expect(ownershipOf('111122223333', owned)).toEqual({ label: 'owned', name: 'prod' });
    expect(ownershipOf('012345678901', owned)).toEqual({ label: 'owned' });
  });

  it('labels a known account that is not owned as third-party', () => {
    expect(ownershipOf('444455556666', owned)).toEqual({ label: 'third-party' });
  });

  it('labels a finding without an account as unknown', () => {
    expect(ownershipOf(null, owned)).toEqual({ label: 'unknown' });
  });

  it('lets canary win, even over an owned entry', () => {
    expect(ownershipOf(canary, {})).toEqual({ label: 'canary' });
    expect(ownershipOf(canary, { [canary]: 'mine' })).toEqual({ label: 'canary' });
  });

  it('labels nothing but canaries when no owned accounts are declared', () => {
    expect(ownershipOf('444455556666', {})).toBeUndefined();
    expect(ownershipOf(null, {})).toBeUndefined();
  });

  it('does not treat inherited object keys as owned accounts', () => {
    expect(ownershipOf('constructor', owned)).toEqual({ label: 'third-party' });
  });
});

describe('labelOwnership', () => {
  it('labels real findings from their decoded accounts and leaves the input alone', () => {
    const mine = makeKeyId('AKIA', { account: '111122223333', seed: 3 });
    const theirs = makeKeyId('AKIA', { account: '444455556666', seed: 4 });
    const trap = makeKeyId('AKIA', { account: canary, seed: 5 });
    const findings = detect(`a = "${mine}"\nb = "${theirs}"\nc = "${trap}"\n`);
    expect(findings.map((f) => f.accountId)).toEqual(['111122223333', '444455556666', canary]);
    const labelled = labelOwnership(findings, { '111122223333': 'prod' });
    expect(labelled.map((f) => f.owner)).toEqual([{ label: 'owned', name: 'prod' }, { label: 'third-party' }, { label: 'canary' }]);
    expect(findings.every((f) => f.owner === undefined)).toBe(true);
  });

  it('clears a stale label when nothing applies any more', () => {
    const [finding] = detect(`a = "${makeKeyId('AKIA', { account: '444455556666', seed: 6 })}"\n`);
    const [relabelled] = labelOwnership([{ ...finding!, owner: { label: 'third-party' } }], {});
    expect(relabelled).not.toHaveProperty('owner');
  });
});
