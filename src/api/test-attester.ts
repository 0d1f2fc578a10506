// The built-in test attester (TEST TRUST): signs key attestations (OID4VCI Appendix D.1) and
// wallet attestations (Appendix E / ABCA -07) for wallet developers without a real provider.
import type { FastifyInstance } from 'fastify';
import { keyAttestationRequestSchema, walletAttestationRequestSchema } from '../attestation/test-attester.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { problemsOf } from './problems.ts';

const TEST_TRUST_NOTE = 'Signed by the playground test attester CA: test trust only, never accepted by a real issuer.';

export function testAttesterRoutes(deps: AppDeps) {
  return async function testAttester(app: FastifyInstance): Promise<void> {
    const config = { malformedBody: 'API.attester.invalid', wrongMediaType: 'API.attester.invalid' } as const;

    app.post('/test-attester/key-attestation', { config }, async (request, reply) => {
      const parsed = keyAttestationRequestSchema.safeParse(request.body);
      if (!parsed.success)
        throw new ProtocolError('API.attester.invalid', 'key attestation request', {
          response: { problems: problemsOf(parsed.error) },
        });
      const attestation = await deps.attester.issueKeyAttestation(parsed.data);
      return reply
        .header('cache-control', 'no-store')
        .send({ key_attestation: attestation, ca_certificate: deps.attester.caPem, note: TEST_TRUST_NOTE });
    });

    app.post('/test-attester/wallet-attestation', { config }, async (request, reply) => {
      const parsed = walletAttestationRequestSchema.safeParse(request.body);
      if (!parsed.success)
        throw new ProtocolError('API.attester.invalid', 'wallet attestation request', {
          response: { problems: problemsOf(parsed.error) },
        });
      const attestation = await deps.attester.issueWalletAttestation(parsed.data);
      return reply
        .header('cache-control', 'no-store')
        .send({ wallet_attestation: attestation, ca_certificate: deps.attester.caPem, note: TEST_TRUST_NOTE });
    });

    app.get('/test-attester/ca.pem', async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').type('application/x-pem-file').send(deps.attester.caPem),
    );
  };
}
