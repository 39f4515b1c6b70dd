import { describe, expect, it } from 'vitest';
import { NamedLocks } from '../../src/repos/named-locks.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('NamedLocks', () => {
  it('makes holders of a shared name take turns, and lets holders of other names run side by side', async () => {
    const locks = new NamedLocks();
    const log: string[] = [];
    const hold = async (who: string, names: string[]) => {
      const release = await locks.acquire(names);
      log.push(`${who} in`);
      await tick();
      log.push(`${who} out`);
      release();
    };
    await Promise.all([hold('a', ['root1']), hold('b', ['root1', 'root2']), hold('c', ['root3'])]);
    // b waited for a; c, sharing nothing, ran beside a.
    expect(log.indexOf('b in')).toBeGreaterThan(log.indexOf('a out'));
    expect(log.indexOf('c in')).toBeLessThan(log.indexOf('a out'));
  });

  it('never deadlocks when two holders name the same locks in opposite orders', async () => {
    const locks = new NamedLocks();
    const order: string[] = [];
    const hold = async (who: string, names: string[]) => {
      const release = await locks.acquire(names);
      order.push(who);
      await tick();
      release();
    };
    await Promise.all([hold('x', ['p', 'q']), hold('y', ['q', 'p']), hold('z', ['q', 'q'])]);
    expect(order.sort()).toEqual(['x', 'y', 'z']);
  });

  it('holds nothing for no names, and forgets a name once its last holder is done', async () => {
    const locks = new NamedLocks();
    (await locks.acquire([]))();
    const release = await locks.acquire(['r']);
    release();
    const again = await Promise.race([locks.acquire(['r']), tick().then(() => undefined)]);
    expect(again).toBeTypeOf('function');
    again!();
  });
});
