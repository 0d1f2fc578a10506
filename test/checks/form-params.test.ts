// formParams: RFC 6749 Section 3.1 (empty values count as omitted, no parameter twice) over what
// Fastify's form and query parsers produce.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formParams } from '../../src/checks/form-params.ts';

describe('formParams', () => {
  const params = formParams(
    { client_id: 'w1', state: '', scope: ['a', 'b'], resource: ['https://x', 'https://y'], empty_twice: ['', ''] },
    ['resource'],
  );

  it('an empty value counts as not sent', () => assert.equal(params.get('state'), undefined));
  it('names lists every parameter sent, also empty ones', () =>
    assert.deepEqual(params.names, ['client_id', 'state', 'scope', 'resource', 'empty_twice']));
  it('repeated names exclude the repeatable ones and empty repeats', () => assert.deepEqual(params.repeated, ['scope']));
  it('all returns every value of a repeatable name', () => assert.deepEqual(params.all('resource'), ['https://x', 'https://y']));
  it('get returns the single value', () => assert.equal(params.get('client_id'), 'w1'));
});
