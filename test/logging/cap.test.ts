// Log entries are cut to a byte budget, deterministically, with markers that say what was cut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capToBudget, DEFAULT_ENTRY_BUDGET } from '../../src/logging/cap.ts';

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const deep = (depth: number): unknown => (depth === 0 ? 'leaf' : { next: deep(depth - 1) });

describe('capToBudget', () => {
  it('returns a value that fits unchanged (as JSON would store it)', () => {
    const value = { a: 1, b: [true, null, 'x'], c: { d: 'é' } };
    assert.deepEqual(capToBudget(value), { value, bytes: bytesOf(value), truncated: false });
    assert.deepEqual(capToBudget({ keep: 1, drop: undefined, at: new Date(0) }).value, {
      keep: 1,
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('truncates a long string with a marker that counts the cut characters', () => {
    const { value, truncated } = capToBudget({ credential: 'x'.repeat(40_000), id: 7 });
    assert.equal(truncated, true);
    assert.deepEqual(value, { credential: `${'x'.repeat(4096)}…[truncated ${40_000 - 4096} chars]`, id: 7 });
  });

  it('cuts a long array and says how many items went', () => {
    const { value } = capToBudget({ items: Array.from({ length: 5000 }, (_, i) => i) });
    const items = (value as { items: unknown[] }).items;
    assert.equal(items.length, 101);
    assert.deepEqual(items.slice(98), [98, 99, '…[4900 more items]']);
  });

  it('cuts deep structures at a depth with a marker', () => {
    const { value } = capToBudget({ blob: 'y'.repeat(20_000), tree: deep(40) });
    let node = (value as { tree: unknown }).tree;
    let depth = 1;
    while (typeof node === 'object' && node !== null) {
      node = (node as { next: unknown }).next;
      depth += 1;
    }
    assert.equal(depth, 12);
    assert.equal(node, '…[object with 1 keys]');
  });

  it('cuts objects with many keys and names how many are left out', () => {
    const wide = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, 'v'.repeat(10)]));
    const value = capToBudget(wide).value as Record<string, unknown>;
    assert.equal(Object.keys(value).length, 101);
    assert.equal(value['…'], '[1900 more keys]');
  });

  it('does not split a surrogate pair', () => {
    const { value } = capToBudget({ s: '😀'.repeat(10_000) }, 2000);
    const s = (value as { s: string }).s;
    assert.ok(!/[\uD800-\uDBFF]…/.test(s), 'no lone high surrogate before the marker');
    assert.ok(Buffer.from(s, 'utf8').toString('utf8') === s);
  });

  it('is deterministic', () => {
    const input = { a: 'z'.repeat(50_000), b: Array.from({ length: 300 }, (_, i) => ({ i, s: 'q'.repeat(i) })), c: deep(30) };
    assert.deepEqual(capToBudget(input), capToBudget(structuredClone(input)));
  });

  const oversized: Array<[string, unknown]> = [
    ['one huge string', 'a'.repeat(1 << 20)],
    ['many medium strings', Array.from({ length: 400 }, () => 'm'.repeat(900))],
    ['a wide and deep mix', { rows: Array.from({ length: 60 }, (_, i) => ({ i, text: 't'.repeat(600), tree: deep(20) })) }],
    ['long keys', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${i}-${'k'.repeat(5000)}`, i]))],
  ];
  for (const budget of [DEFAULT_ENTRY_BUDGET, 2048, 512]) {
    for (const [name, input] of oversized) {
      it(`keeps ${name} within ${budget} bytes`, () => {
        const capped = capToBudget(input, budget);
        assert.equal(capped.truncated, true);
        assert.equal(capped.bytes, bytesOf(capped.value));
        assert.ok(capped.bytes <= budget, `${capped.bytes} > ${budget}`);
      });
    }
  }

  it('falls back to one marker when no cut fits the budget', () => {
    const input = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    assert.deepEqual(capToBudget(input, 24), {
      value: `…[${bytesOf(input)} bytes dropped]`,
      bytes: bytesOf(`…[${bytesOf(input)} bytes dropped]`),
      truncated: true,
    });
  });
});
