import type { Diagnostic } from './diagnostics.ts';

/**
 * Catalogue entries for key attestations (OID4VCI 1.0 Appendix D, HAIP 1.0 Section 4.5.1) and
 * wallet attestations (ABCA -07, OID4VCI Appendix E, HAIP 1.0 Section 4.4.1), spread into the
 * catalogue of diagnostics.ts. Warnings (dialects of earlier drafts) carry a status too, because
 * an offer with `strict: true` rejects with them.
 */

type Entry = Omit<Diagnostic, 'id'>;

const VCI = 'OID4VCI 1.0';
const HAIP = 'HAIP 1.0';
const ABCA = 'draft-ietf-oauth-attestation-based-client-auth-07';

const ka = (rule: string, title: string, reason: string, help: string, ref = `${VCI} Appendix D.1`): Entry => ({
  rule, error: 'invalid_proof', status: 400, title, reason, help, spec_ref: ref,
});
const wa = (rule: string, title: string, reason: string, help: string, ref: string): Entry => ({
  rule, error: 'invalid_client', status: 401, title, reason, help, spec_ref: ref,
});
const KA_CHAIN = `${HAIP} Section 4.5.1; ${VCI} Appendix D.1`;
const WA_CHAIN = `${HAIP} Section 4.4.1; ${VCI} Appendix E; ${ABCA} Section 9`;

export const attestationEntries = {
  // --- key attestations (header key_attestation of a jwt proof, or proofs.attestation) ---
  'KA-01.malformed': ka('KA-01', 'Key attestation is not a JWT', 'A key attestation must be one compact JWS (header.payload.signature) with JSON header and payload.', 'Send the signed key attestation JWT itself, unchanged.'),
  'KA-01.typ': ka('KA-01', 'Wrong key attestation typ', 'The JOSE header typ of a key attestation must be exactly key-attestation+jwt.', 'Set the protected header typ of the key attestation to "key-attestation+jwt".'),
  'KA-01.legacy_typ': ka('KA-01', 'Pre-1.0 key attestation typ', 'The key attestation uses typ keyattestation+jwt from OID4VCI drafts (written e.g. by @openid4vc/openid4vci 0.4.6). OID4VCI 1.0 Appendix D.1 names it key-attestation+jwt. Accepted with a warning unless the offer is strict.', 'Set typ to "key-attestation+jwt" (with the hyphen).'),
  'KA-01.alg': ka('KA-01', 'Unsupported key attestation alg', 'The key attestation alg must be asymmetric and listed in proof_signing_alg_values_supported (this applies to the key_attestation header of a jwt proof as well).', 'Sign the key attestation with ES256 (HAIP requires ES256 support); never none or HS*.', `${VCI} Appendix D.1, F.1, F.3`),
  'KA-02.x5c_missing': ka('KA-02', 'Key attestation has no x5c', 'HAIP requires the key attestation signing key in an x5c certificate chain that validates to a trust anchor of this issuer.', 'Put the attester signing certificate (and any intermediates, never the root) in the x5c header of the key attestation.', KA_CHAIN),
  'KA-02.no_x5c': ka('KA-02', 'Key attestation trusted through a bare key', 'The key attestation carries no x5c; its kid/jwk matches a key configured as trust anchor. OID4VCI Appendix D.1 allows this, HAIP 1.0 Section 4.5.1 does not. Accepted with a warning unless the offer is strict.', 'Sign the key attestation with a certificate-backed key and send the chain in x5c.', KA_CHAIN),
  'KA-02.x5c_malformed': ka('KA-02', 'Key attestation x5c is malformed', 'x5c must be a non-empty array of base64 (not base64url) DER certificates.', 'Encode each certificate as standard base64 DER, leaf first.', `${KA_CHAIN}; RFC 7515 Section 4.1.6`),
  'KA-02.self_signed': ka('KA-02', 'Key attestation signed by a self-signed certificate', 'HAIP forbids a self-signed signing certificate: the leaf of x5c must be issued by a CA that chains to a trust anchor.', 'Have the attester CA issue the signing certificate and send that certificate in x5c.', KA_CHAIN),
  'KA-02.anchor_in_x5c': ka('KA-02', 'Trust anchor inside the key attestation x5c', 'HAIP forbids the trust anchor certificate in x5c; the issuer holds its anchors and the chain must end below them.', 'Remove the root (trust anchor) certificate from x5c.', KA_CHAIN),
  'KA-02.certificate_validity': ka('KA-02', 'Key attestation certificate expired or not yet valid', 'A certificate of the key attestation x5c chain is outside its validity period.', 'Renew the attester certificate, or check the device clock.', `${KA_CHAIN}; RFC 5280 Section 6.1.3`),
  'KA-02.chain': ka('KA-02', 'Key attestation x5c is not a chain', 'Each x5c certificate must be issued and signed by the next one, and every issuing certificate must be a CA.', 'Send x5c in order: signing certificate first, then each issuing CA certificate.', `${KA_CHAIN}; RFC 5280 Section 6.1`),
  'KA-02.untrusted': ka('KA-02', 'Key attestation signer not trusted', 'The key attestation x5c chain does not end at a key attestation trust anchor of this issuer (configured files, the /trust page, the offer, or the built-in test attester).', 'Add your attester CA as a key_attestation trust anchor, or use the built-in test attester.', KA_CHAIN),
  'KA-02.signature': ka('KA-02', 'Key attestation signature invalid', 'The key attestation signature does not verify with the public key of its x5c signing certificate.', 'Sign the key attestation with the private key of the first x5c certificate.', KA_CHAIN),
  'KA-03.iat': ka('KA-03', 'Key attestation iat missing or in the future', 'iat is required: the number of seconds since the epoch when the attestation was issued.', 'Set iat to the issuing time in seconds.'),
  'KA-03.exp_missing': ka('KA-03', 'Key attestation exp missing', 'exp is required when the key attestation is used in the key_attestation header of a jwt proof.', 'Set exp, the time at which the attestation and its keys expire.', `${VCI} Appendix D.1, F.1`),
  'KA-03.expired': ka('KA-03', 'Key attestation expired or not yet valid', 'The key attestation exp has passed (or its nbf lies in the future).', 'Obtain a fresh key attestation from the attester.'),
  'KA-04.missing': ka('KA-04', 'attested_keys missing or empty', 'attested_keys is required: a non-empty array of JWKs from one key storage component.', 'List the attested public keys in attested_keys.'),
  'KA-04.invalid': ka('KA-04', 'attested_keys entry is not a usable JWK', 'Every attested_keys entry must be a public JWK (kty and the members of its key type).', 'Export each attested key as a JWK, e.g. {"kty":"EC","crv":"P-256","x":"…","y":"…"}.'),
  'KA-04.private': ka('KA-04', 'attested_keys contains a private key', 'attested_keys must hold public keys only; an entry contains private members.', 'Drop d, p, q, dp, dq, qi and k. Rotate this key: it has been disclosed.'),
  'KA-05.format': ka('KA-05', 'key_storage or user_authentication malformed', 'key_storage and user_authentication, when present, are non-empty arrays of case-sensitive strings.', 'Send e.g. "key_storage": ["iso_18045_high"].', `${VCI} Appendix D.1, D.2`),
  'KA-05.key_storage': ka('PRF-12', 'key_storage not accepted', 'This offer accepts key attestations only with one of the key_storage values it names (key_attestations_required in the metadata).', 'Attest the keys in a key storage component rated with one of the accepted values.', `${VCI} Section 12.2.4, Appendix D.2`),
  'KA-05.user_authentication': ka('PRF-12', 'user_authentication not accepted', 'This offer accepts key attestations only with one of the user_authentication values it names (key_attestations_required in the metadata).', 'Protect the keys with a user authentication rated with one of the accepted values.', `${VCI} Section 12.2.4, Appendix D.2`),
  'KA-06.missing': ka('KA-06', 'Key attestation nonce missing', 'This issuer has a nonce endpoint, so the key attestation must carry a c_nonce in nonce.', 'POST to the nonce_endpoint and have the attester put the c_nonce in the key attestation nonce claim.', `${VCI} Appendix F.1, F.3`),
  'KA-06.wrong': { rule: 'KA-06', error: 'invalid_nonce', status: 400, title: 'Key attestation nonce is not a valid c_nonce', reason: 'The key attestation nonce is not a c_nonce this issuer handed out (or it expired, was used, or differs from the proof nonce).', help: 'Fetch a fresh c_nonce and obtain a key attestation carrying it.', spec_ref: `${VCI} Section 8.3.1.2, Appendix F.1, F.3` },
  'KA-07.status': ka('KA-07', 'Key attestation status malformed', 'status, when present, is a JSON object (e.g. a Token Status List reference).', 'Send status as {"status_list": {"idx": …, "uri": "…"}} or leave it out.'),
  'PRF-11.not_attested': ka('PRF-11', 'Proof key not attested', 'A jwt proof with a key_attestation header must be signed by one of the keys in attested_keys.', 'Sign the proof with an attested key, or attest the key that signs the proof.', `${VCI} Appendix D.1, F.1`),
  'PRF-12.missing': ka('PRF-12', 'Key attestation required but not provided', 'This credential offer requires key attestation (key_attestations_required in its issuer metadata), but the wallet did not include a key_attestation in the JWT proof header.', 'Include a `key_attestation` parameter in the JWT proof header containing a Key Attestation JWT (typ key-attestation+jwt) that lists the proof key in attested_keys, or send proofs: {"attestation": ["<key attestation JWT>"]}.', `${HAIP} Section 4.5.1 / ${VCI} Appendix D`),
  'CRED-14.attestation_count': ka('CRED-14', 'attestation proof type needs exactly one JWT', 'proofs.attestation must be an array with exactly one key attestation; one attestation can attest several keys.', 'Send proofs: {"attestation": ["<key attestation JWT>"]}.', `${VCI} Section 8.2, Appendix F.3`),

  // --- wallet attestation (OAuth-Client-Attestation and -PoP headers) ---
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

export type AttestationDiagnosticId = keyof typeof attestationEntries;

/** A finding of the attestation checks; assignable to checks/finding.ts Finding once the entries are merged. */
export interface AttestationFinding {
  id: AttestationDiagnosticId;
  detail?: string;
}

export const finding = (id: AttestationDiagnosticId, detail?: string): AttestationFinding =>
  detail === undefined ? { id } : { id, detail };
