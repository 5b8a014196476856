import { describe, expect, it } from 'vitest';
import { UpdateGate } from '../../client/update-gate.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('UpdateGate', () => {
  it('lets a few calls per workflow run at once, queues the rest in order, and tells each how long it waited', async () => {
    const gate = new UpdateGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const waited: number[] = [];
    const calls = Array.from({ length: 6 }, (_, i) => gate.run('cycle-a', async (w) => {
      waited[i] = w;
      most = Math.max(most, (running += 1));
      await tick(20);
      running -= 1;
      order.push(i);
      return i;
    }));
    // Another workflow does not wait behind cycle-a.
    const other = gate.run('cycle-b', async (w) => w);
    expect(await other).toBeLessThan(15);
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(waited[0]).toBeLessThan(15);
    expect(waited[5]).toBeGreaterThanOrEqual(35);
    expect(gate.size).toBe(0);
  });

  it('frees the place of a call that fails', async () => {
    const gate = new UpdateGate(1);
    await expect(gate.run('c', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await gate.run('c', async () => 'next')).toBe('next');
    expect(gate.size).toBe(0);
  });
});
