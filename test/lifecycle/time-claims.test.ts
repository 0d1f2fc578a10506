// Rounded time claims (OID4VCI 1.0 Section 15.4.1, FMT-ALL-01).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundDown, roundTimeClaims, TIME_CLAIM_GRANULARITY_S } from '../../src/lifecycle/time-claims.ts';

const HOUR = 3600;
const T = 1_750_003_723; // 2025-06-15T16:08:43Z

describe('roundTimeClaims (FMT-ALL-01)', () => {
  it('FMT-ALL-01: iat, nbf and exp round down to the hour by default; other claims stay', () => {
    assert.equal(TIME_CLAIM_GRANULARITY_S, HOUR);
    const rounded = roundTimeClaims({ iat: T, nbf: T, exp: T + 30 * 86_400, vct: 'urn:x' });
    assert.deepEqual(rounded, { iat: 1_750_003_200, nbf: 1_750_003_200, exp: 1_752_595_200, vct: 'urn:x' });
  });

  it('FMT-ALL-01: the credentials of a batch issued within the hour carry identical times', () => {
    const batch = [0, 17, 1200, 3599 - (T % HOUR)].map((offset) =>
      roundTimeClaims({ iat: T + offset, nbf: T + offset, exp: T + offset + 86_400 }),
    );
    assert.equal(new Set(batch.map((claims) => JSON.stringify(claims))).size, 1);
  });

  it('FMT-ALL-01: a day granularity rounds to the start of the day (the specification example)', () => {
    assert.equal(new Date(roundDown(T, 86_400) * 1000).toISOString(), '2025-06-15T00:00:00.000Z');
  });

  it('FMT-ALL-01: never later than the real times, exp at most one granularity earlier', () => {
    for (const t of [T, T - (T % HOUR), T + 1]) {
      const rounded = roundTimeClaims({ iat: t, exp: t + 86_400 });
      assert.ok(rounded.iat <= t && t - rounded.iat < HOUR);
      assert.ok(rounded.exp! <= t + 86_400 && t + 86_400 - rounded.exp! < HOUR);
    }
  });

  it('FMT-ALL-01: absent nbf and exp stay absent', () => {
    assert.deepEqual(roundTimeClaims({ iat: T }), { iat: 1_750_003_200 });
  });

  it('FMT-ALL-01: a validity shorter than the granularity is refused rather than issued expired', () => {
    assert.throws(() => roundTimeClaims({ iat: T, exp: T + 600 }), RangeError);
  });

  it('FMT-ALL-01: the granularity must be a positive whole number of seconds', () => {
    for (const granularity of [0, -60, 1.5]) assert.throws(() => roundDown(T, granularity), RangeError);
  });
});
