// pickFreeStatusIndex: unique and unpredictable indexes (FMT-SD-07, FMT-ALL-01, H-15).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_INDEX_PROBES, pickFreeStatusIndex } from '../../src/lifecycle/status-index.ts';
import { DEFAULT_STATUS_LIST_SIZE } from '../../src/lifecycle/status-list.ts';

const SIZE = DEFAULT_STATUS_LIST_SIZE;

function allocate(count: number, taken = new Set<number>()): number[] {
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const index = pickFreeStatusIndex({ size: SIZE, isTaken: (n) => taken.has(n) });
    assert.notEqual(index, null);
    taken.add(index!);
    picked.push(index!);
  }
  return picked;
}

describe('pickFreeStatusIndex', () => {
  it('FMT-SD-07: 1000 allocations are unique, within the list and never reuse a taken index', () => {
    const taken = new Set([1, 2, 3]);
    const picked = allocate(1000, taken);
    assert.equal(new Set(picked).size, 1000);
    assert.ok(picked.every((i) => Number.isInteger(i) && i >= 0 && i < SIZE));
    assert.ok(
      picked.every((i) => ![1, 2, 3].includes(i)),
      'taken indexes are skipped',
    );
  });

  it('FMT-ALL-01: indexes are not sequential: no run of neighbours, not ascending, spread over the list', () => {
    const picked = allocate(200);
    const steps = picked.slice(1).map((index, i) => index - picked[i]!);
    assert.ok(steps.filter((step) => Math.abs(step) === 1).length <= 1, 'consecutive allocations are not neighbours');
    assert.ok(steps.some((step) => step < 0) && steps.some((step) => step > 0), 'neither ascending nor descending');
    const sorted = [...picked].sort((a, b) => a - b);
    assert.ok(sorted[0]! < SIZE / 4 && sorted.at(-1)! > (3 * SIZE) / 4, 'spread over the whole list');
    // The first index of a fresh list is not 0 (or any fixed value) from one list to the next.
    assert.ok(new Set(Array.from({ length: 20 }, () => allocate(1)[0])).size > 15);
  });

  it('FMT-SD-07: probes again past taken indexes (injected random source)', () => {
    const draws = [5, 9, 5, 11];
    const taken = new Set([5, 9]);
    assert.equal(pickFreeStatusIndex({ size: 16, isTaken: (n) => taken.has(n), random: () => draws.shift()! }), 11);
  });

  it(`FMT-SD-07: null (start a new list) after ${MAX_INDEX_PROBES} probes hit taken indexes`, () => {
    let probes = 0;
    const index = pickFreeStatusIndex({
      size: 8,
      isTaken: () => {
        probes++;
        return true;
      },
    });
    assert.equal(index, null);
    assert.equal(probes, MAX_INDEX_PROBES);
  });

  it('FMT-SD-07: the random source is asked for an index below the list size', () => {
    const asked: number[] = [];
    pickFreeStatusIndex({
      size: 1234,
      isTaken: () => false,
      random: (n) => {
        asked.push(n);
        return 0;
      },
    });
    assert.deepEqual(asked, [1234]);
    assert.throws(() => pickFreeStatusIndex({ size: 0, isTaken: () => false }), RangeError);
  });
});
