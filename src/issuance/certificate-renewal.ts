// Stored chains made before a requirement existed are certified again, with the same key pairs, so
// the issuer's kid, JWKS and CA key stay; see loadOrCreateIssuerKey.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { importJWK, type JWK } from 'jose';
import {
  type CertificateChain,
  caCertificate,
  DAY_MS,
  leafCertificate,
  type SubjectAltName,
  sanNames,
  type Validity,
} from './certificates.ts';

/** What a chain must show now: the country of ISO 18013-5 Annex B, and the leaf's subjectAltName. */
export interface ChainRequirements {
  country: string;
  subjectAltName: SubjectAltName;
}

const hasCountry = (certificate: x509.X509Certificate) => certificate.subjectName.getField('C').length > 0;

/**
 * Why a stored chain falls short of the requirements (empty when it does not): ISO 18013-5 Annex B
 * wants countryName in the subjects of the IACA (our CA) and of the document signer (our leaf), and
 * FMT-SD-11 a leaf subjectAltName naming PUBLIC_URL.
 */
export function chainShortcomings(chain: Pick<CertificateChain, 'caPem' | 'leafPem'>, required: ChainRequirements): string[] {
  const ca = new x509.X509Certificate(chain.caPem);
  const leaf = new x509.X509Certificate(chain.leafPem);
  const san = leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  return [
    ...(hasCountry(ca) ? [] : ['the CA subject has no country (C)']),
    ...(hasCountry(leaf) ? [] : ['the leaf subject has no country (C)']),
    ...(JSON.stringify(san) === JSON.stringify(sanNames(required.subjectAltName))
      ? []
      : [`the leaf subjectAltName is not ${JSON.stringify(required.subjectAltName)}`]),
  ];
}

const withCountry = (certificate: x509.X509Certificate, country: string): string =>
  hasCountry(certificate) ? certificate.subject : `C=${country}, ${certificate.subject}`;

const validityOf = (certificate: x509.X509Certificate, now: number): Validity => ({
  notBefore: new Date(now - DAY_MS),
  notAfter: certificate.notAfter,
});

async function keyPairOf(privateJwk: JWK): Promise<CryptoKeyPair> {
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
  };
}

/**
 * The same key pairs certified again so that the chain meets the requirements: the CA certificate
 * only when its subject lacks the country, the leaf always (its issuer name follows the CA). Names,
 * extensions and expiry stay; the country is added and the subjectAltName set.
 */
export async function recertifyChain(
  chain: CertificateChain,
  required: ChainRequirements,
  now: number,
): Promise<Pick<CertificateChain, 'caPem' | 'leafPem'>> {
  const [caKeys, leafKeys] = await Promise.all([keyPairOf(chain.caPrivateJwk), keyPairOf(chain.leafPrivateJwk)]);
  const storedCa = new x509.X509Certificate(chain.caPem);
  const storedLeaf = new x509.X509Certificate(chain.leafPem);
  const ca = hasCountry(storedCa)
    ? storedCa
    : await caCertificate(withCountry(storedCa, required.country), caKeys, validityOf(storedCa, now));
  const leaf = await leafCertificate({
    subject: withCountry(storedLeaf, required.country),
    ca,
    caPrivateKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    validity: validityOf(storedLeaf, now),
    subjectAltName: required.subjectAltName,
  });
  return { caPem: ca === storedCa ? chain.caPem : ca.toString('pem'), leafPem: leaf.toString('pem') };
}
