// mdocConfigurationMetadata (MD-06, MD-07, FMT-MD-01..03, H-07; OID4VCI 1.0 §12.2.4, Appendix A.2.2)
// and the configurations' ids and scopes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deferredTwin } from '../../src/formats/configuration.ts';
import { isoMdl, mdocConfigurationMetadata, mdocConfigurations } from '../../src/formats/mso-mdoc/index.ts';

describe('mdocConfigurationMetadata', () => {
  const proofTypes = { jwt: { proof_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA'] } };

  for (const config of mdocConfigurations) {
    it(`${config.id}: MD-06, MD-07, FMT-MD-01..03`, () => {
      const metadata = mdocConfigurationMetadata(config, proofTypes) as Record<string, any>;
      assert.equal(metadata.format, 'mso_mdoc');
      assert.equal(metadata.doctype, config.doctype, 'MD-07 / FMT-MD-01: doctype');
      assert.ok(typeof metadata.scope === 'string' && metadata.scope.length > 0, 'H-07: a scope');
      assert.deepEqual(metadata.cryptographic_binding_methods_supported, ['cose_key'], 'FMT-MD-03');
      assert.deepEqual(metadata.credential_signing_alg_values_supported, [-7, -9], 'FMT-MD-02: COSE ids');
      assert.ok(metadata.credential_signing_alg_values_supported.every(Number.isInteger));
      assert.deepEqual(metadata.proof_types_supported, proofTypes, 'MD-06: proof types with the binding methods');
      assert.ok(!('vct' in metadata) && !('credential_definition' in metadata));
      const [display] = metadata.credential_metadata.display;
      assert.deepEqual(display, {
        name: config.name,
        locale: 'en-US',
        description: config.description,
        background_color: config.background_color,
        text_color: config.text_color,
      });
      for (const [i, claim] of metadata.credential_metadata.claims.entries()) {
        const definition = config.claims[i]!;
        assert.equal(claim.path.length, 2, 'Appendix C.2: [namespace, element]');
        assert.ok(claim.path.every((part: unknown) => typeof part === 'string'));
        assert.deepEqual(claim.path, [...definition.path]);
        assert.equal(claim.mandatory, definition.mandatory);
        assert.deepEqual(claim.display, [{ name: definition.label, locale: 'en-US' }]);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(metadata)), metadata, 'plain JSON');
    });
  }

  it('the deferred twin has its own id and scope and the same claims', () => {
    const twin = deferredTwin(isoMdl);
    assert.equal(twin.id, 'org.iso.18013.5.1.mDL_deferred');
    assert.equal(twin.scope, 'org.iso.18013.5.1.mDL_deferred');
    assert.equal(twin.deferred, true);
    assert.equal(twin.doctype, isoMdl.doctype);
    assert.deepEqual(twin.claims, isoMdl.claims);
  });

  it('every configuration has a distinct id and scope', () => {
    const ids = mdocConfigurations.flatMap((config) => [config.id, deferredTwin(config).id]);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(mdocConfigurations.every((config) => config.scope && config.format === 'mso_mdoc'));
  });
});
