// Wallet attestations: attestation-based client authentication (ABCA -07, OID4VCI 1.0 Appendix E, HAIP 1.0 Section 4.4.1).
import { entry, type Entry, type Rule, ABCA, HAIP, VCI } from './define.ts';

const wa = (rule: string, title: string, reason: string, help: string, ref: string): Entry =>
  entry(rule, 'invalid_client', 401, title, reason, help, ref);
const WA_CHAIN = `${HAIP} Section 4.4.1; ${VCI} Appendix E; ${ABCA} Section 9`;

export const walletAttestationRules = {
  'WA-01': { title: "One attestation and one PoP header, each a JWT", spec_ref: `${ABCA} Sections 6.1, 9` },
  'WA-02': { title: "Attestation and PoP typ", spec_ref: `${ABCA} Sections 5.1, 5.2` },
  'WA-03': { title: "Attestation claims iss, sub, exp, cnf.jwk", spec_ref: `${ABCA} Section 5.1` },
  'WA-04': { title: "Attestation signed by a trusted wallet provider (x5c, HAIP)", spec_ref: `${HAIP} Section 4.4.1; ${ABCA} Section 9` },
  'WA-05': { title: "PoP claims aud, jti, iat", spec_ref: `${ABCA} Sections 5.2, 9` },
  'WA-06': { title: "PoP signed by the wallet instance key", spec_ref: `${ABCA} Sections 5.2, 6.2, 9` },
  'WA-07': { title: "PoP fresh and not replayed", spec_ref: `${ABCA} Sections 9, 12.1` },
  'WA-08': { title: "client_id, attestation sub and PoP iss agree", spec_ref: `${ABCA} Sections 6.3, 9` },
  'WA-09': { title: "PoP carries a challenge from the challenge endpoint", spec_ref: `${ABCA} Sections 6.2, 8` },
  'WA-10': { title: "Attestation not older than policy", spec_ref: `${ABCA} Section 6.2` },
  'WA-14': { title: "Client authentication present where demanded", spec_ref: `${HAIP} Section 4.4.1; ${VCI} Appendix E` },
  'WA-15': { title: "ABCA -07 iss claims (later drafts dropped them)", spec_ref: `${ABCA} Sections 5.1, 5.2; ${VCI} Section 14.7` },
} satisfies Record<string, Rule>;

export const walletAttestationDiagnostics = {
  'WA-01.attestation': wa('WA-01', 'OAuth-Client-Attestation header missing or malformed', 'A request using attestation-based client authentication carries exactly one OAuth-Client-Attestation header holding one JWT.', 'Send the wallet attestation JWT, once, in the OAuth-Client-Attestation header.', `${ABCA} Sections 6.1, 9`),
  'WA-01.pop': wa('WA-01', 'OAuth-Client-Attestation-PoP header missing or malformed', 'A request using attestation-based client authentication carries exactly one OAuth-Client-Attestation-PoP header holding one JWT.', 'Sign a fresh PoP JWT with the wallet instance key and send it, once, in OAuth-Client-Attestation-PoP.', `${ABCA} Sections 6.1, 9`),
  'WA-02.attestation_typ': wa('WA-02', 'Wrong wallet attestation typ', 'The typ of the client attestation JWT must be oauth-client-attestation+jwt.', 'Set the attestation header typ to "oauth-client-attestation+jwt".', `${ABCA} Section 5.1`),
  'WA-02.pop_typ': wa('WA-02', 'Wrong client attestation PoP typ', 'The typ of the client attestation PoP JWT must be oauth-client-attestation-pop+jwt.', 'Set the PoP header typ to "oauth-client-attestation-pop+jwt".', `${ABCA} Section 5.2`),
  'WA-03.iss': wa('WA-03', 'Wallet attestation iss malformed', 'iss identifies the wallet provider (attester) and must be a string.', 'Set iss to the identifier of the wallet provider.', `${ABCA} Section 5.1`),
  'WA-03.sub': wa('WA-03', 'Wallet attestation sub missing', 'sub is required: it is the client_id of the wallet.', 'Set sub to the client_id the wallet uses with this authorization server.', `${ABCA} Section 5.1; ${VCI} Appendix E`),
  'WA-03.exp': wa('WA-03', 'Wallet attestation exp missing', 'exp is required in the client attestation JWT.', 'Have the wallet provider set exp.', `${ABCA} Section 5.1`),
  'WA-03.expired': wa('WA-03', 'Wallet attestation expired or not yet valid', 'The wallet attestation exp has passed (or its nbf lies in the future).', 'Obtain a fresh wallet attestation from the wallet provider.', `${ABCA} Sections 5.1, 9`),
  'WA-03.cnf': wa('WA-03', 'Wallet attestation cnf.jwk missing', 'cnf.jwk is required: the wallet instance key that signs the PoP.', 'Have the wallet provider put the wallet instance public key in cnf.jwk.', `${ABCA} Section 5.1; RFC 7800`),
  'WA-03.cnf_private': wa('WA-03', 'Wallet attestation cnf.jwk contains a private key', 'cnf.jwk must be a public key; it contains private members.', 'Put only the public key in cnf.jwk. Rotate this key: it has been disclosed.', `${ABCA} Section 5.1`),
  'WA-04.alg': wa('WA-04', 'Unsupported wallet attestation alg', 'The wallet attestation alg must be asymmetric and listed in client_attestation_signing_alg_values_supported.', 'Sign the wallet attestation with ES256 (HAIP 1.0 Section 7).', `${ABCA} Sections 5.1, 10.1; ${HAIP} Section 7`),
  'WA-04.x5c_missing': wa('WA-04', 'Wallet attestation has no x5c', 'HAIP requires the wallet provider signing certificate (and chain, without the anchor) in x5c.', 'Put the wallet provider signing certificate and intermediates in the x5c header.', WA_CHAIN),
  'WA-04.no_x5c': wa('WA-04', 'Wallet attestation trusted through a bare key', 'The wallet attestation has no x5c; its kid/jwk matches a key configured as trust anchor. ABCA allows this, HAIP 1.0 Section 4.4.1 does not. Accepted with a warning unless the offer is strict.', 'Sign with a certificate-backed key and send the chain in x5c.', WA_CHAIN),
  'WA-04.x5c_malformed': wa('WA-04', 'Wallet attestation x5c is malformed', 'x5c must be a non-empty array of base64 (not base64url) DER certificates.', 'Encode each certificate as standard base64 DER, signing certificate first.', `${WA_CHAIN}; RFC 7515 Section 4.1.6`),
  'WA-04.self_signed': wa('WA-04', 'Wallet attestation signed by a self-signed certificate', 'The signing certificate must be issued by a CA that chains to a trusted wallet provider anchor, not self-signed.', 'Have the wallet provider CA issue the signing certificate.', WA_CHAIN),
  'WA-04.anchor_in_x5c': wa('WA-04', 'Trust anchor inside the wallet attestation x5c', 'HAIP forbids the trust anchor certificate in x5c.', 'Remove the root (trust anchor) certificate from x5c.', WA_CHAIN),
  'WA-04.certificate_validity': wa('WA-04', 'Wallet attestation certificate expired or not yet valid', 'A certificate of the wallet attestation x5c chain is outside its validity period.', 'Renew the wallet provider certificate, or check the clock.', `${WA_CHAIN}; RFC 5280 Section 6.1.3`),
  'WA-04.chain': wa('WA-04', 'Wallet attestation x5c is not a chain', 'Each x5c certificate must be issued and signed by the next one, and every issuing certificate must be a CA.', 'Send x5c in order: signing certificate first, then each issuing CA certificate.', `${WA_CHAIN}; RFC 5280 Section 6.1`),
  'WA-04.untrusted': wa('WA-04', 'Wallet provider not trusted', 'The wallet attestation x5c chain does not end at a wallet attestation trust anchor of this issuer.', 'Add your wallet provider CA as a wallet_attestation trust anchor, or use the built-in test attester.', WA_CHAIN),
  'WA-04.signature': wa('WA-04', 'Wallet attestation signature invalid', 'The wallet attestation signature does not verify with its x5c signing certificate.', 'Sign the wallet attestation with the private key of the first x5c certificate.', WA_CHAIN),
  'WA-05.aud': wa('WA-05', 'Client attestation PoP aud is not this authorization server', 'The PoP aud must be (or contain) the issuer identifier of this authorization server (RFC 8414).', 'Set aud to the issuer value of /.well-known/oauth-authorization-server, exactly.', `${ABCA} Sections 5.2, 9`),
  'WA-05.jti': wa('WA-05', 'Client attestation PoP jti missing', 'jti is required so that the authorization server can detect replays.', 'Put a fresh random jti (at most 256 characters) in every PoP.', `${ABCA} Section 5.2`),
  'WA-05.iat': wa('WA-05', 'Client attestation PoP iat missing', 'iat is required in the PoP (ABCA -07).', 'Set iat to the time the PoP was created, in seconds.', `${ABCA} Section 5.2`),
  'WA-06': wa('WA-06', 'Client attestation PoP not signed by the wallet instance key', 'The PoP signature does not verify with cnf.jwk of the wallet attestation.', 'Sign the PoP with the private key whose public key is in the attestation cnf.jwk.', `${ABCA} Sections 5.2, 6.2, 9`),
  'WA-06.alg': wa('WA-06', 'Unsupported client attestation PoP alg', 'The PoP alg must be asymmetric and listed in client_attestation_pop_signing_alg_values_supported.', 'Sign the PoP with ES256.', `${ABCA} Sections 5.2, 10.1`),
  'WA-07.stale': wa('WA-07', 'Client attestation PoP not fresh', 'The PoP iat is outside the accepted window (or its exp/nbf exclude the present).', 'Create a new PoP for every request, and check the device clock.', `${ABCA} Sections 9, 12.1`),
  'WA-07.replay': wa('WA-07', 'Client attestation PoP replayed', 'This PoP jti was already used within the replay window.', 'Create a new PoP with a fresh random jti for every request, including retries.', `${ABCA} Sections 9, 12.1`),
  'WA-08.client_id': wa('WA-08', 'client_id differs from the wallet attestation sub', 'The client_id request parameter must equal the sub of the wallet attestation.', 'Send the attestation sub as client_id (or omit client_id).', `${ABCA} Sections 6.3, 9; ${HAIP} Section 4.4.1`),
  'WA-08.pop_iss': wa('WA-08', 'Client attestation PoP iss differs from the attestation sub', 'The PoP iss must be the client_id, i.e. the sub of the wallet attestation.', 'Set the PoP iss to the attestation sub.', `${ABCA} Sections 5.2, 9`),
  'WA-09': { rule: 'WA-09', error: 'use_attestation_challenge', status: 400, title: 'Client attestation challenge unknown or used', reason: 'The PoP carries a challenge that the challenge endpoint did not hand out, that expired, or that was already used.', help: 'POST to challenge_endpoint for a fresh attestation_challenge (also in the OAuth-Client-Attestation-Challenge header of this response) and put it in the PoP challenge claim.', spec_ref: `${ABCA} Sections 6.2, 8` },
  'WA-10': { rule: 'WA-10', error: 'use_fresh_attestation', status: 400, title: 'Wallet attestation too old', reason: 'The wallet attestation was issued longer ago than this authorization server accepts.', help: 'Obtain a fresh wallet attestation from the wallet provider and retry.', spec_ref: `${ABCA} Section 6.2` },
  'WA-14.missing': wa('WA-14', 'Wallet attestation required', 'This offer requires client authentication with a wallet attestation, and the request carries no OAuth-Client-Attestation header.', 'Send OAuth-Client-Attestation and OAuth-Client-Attestation-PoP headers.', `${HAIP} Section 4.4.1; ${VCI} Appendix E`),
  'WA-15.no_iss': { rule: 'WA-15', error: 'invalid_client', status: 400, title: 'Wallet attestation without iss (ABCA ≥ -08)', reason: 'ABCA -07, the version OID4VCI 1.0 pins, requires iss in the client attestation; drafts -08 and later removed it. Accepted with a warning unless the offer is strict.', help: 'Add iss (the wallet provider identifier) to interoperate with ABCA -07 issuers.', spec_ref: `${ABCA} Section 5.1; ${VCI} Section 14.7` },
  'WA-15.no_pop_iss': { rule: 'WA-15', error: 'invalid_client', status: 400, title: 'Client attestation PoP without iss (ABCA ≥ -08)', reason: 'ABCA -07 requires iss (the client_id) in the PoP; drafts -08 and later removed it. Accepted with a warning unless the offer is strict.', help: 'Add iss, equal to the attestation sub, to the PoP.', spec_ref: `${ABCA} Section 5.2; ${VCI} Section 14.7` },
} satisfies Record<string, Entry>;
