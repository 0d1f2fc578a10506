import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { CoseKey, type MdocContext, SignatureAlgorithm } from '@owf/mdoc';
import type { JWK } from 'jose';

/** IssuerAuth's `alg` header: ES256, ECDSA with SHA-256 (RFC 9053 §2.1), always with a P-256 key here. */
export const ISSUER_AUTH_ALGORITHM = SignatureAlgorithm.ES256;

export interface MdocIssuerKey {
  /** The document signer's ES256 (P-256) private key, as a WebCrypto key or a private JWK. */
  privateKey: CryptoKey | JWK;
  /** The document signer certificate, issued by the playground CA; it goes in the x5chain header. */
  leafCertificatePem: string;
}

export interface MdocSigner {
  context: Pick<MdocContext, 'crypto' | 'cose'>;
  /** The certificate's public key: @owf/mdoc passes it back to `sign`, which holds the private key. */
  coseKey: CoseKey;
  /** DER of the leaf, for the COSE x5chain header (label 33). */
  certificate: Uint8Array;
}

// What @owf/mdoc 0.6 calls while issuing (IssuerSignedBuilder.sign, Sign1.create): random bytes
// for salts and digest IDs, value digests, one COSE_Sign1 signature. Its parameter type asks for
// the whole context, verification and MAC callbacks included, which issuing never calls.
interface IssuingContext {
  crypto: Pick<MdocContext['crypto'], 'random' | 'digest'>;
  cose: { sign1: Pick<MdocContext['cose']['sign1'], 'sign'> };
}

const DIGESTS = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

export function mdocSigner(issuer: MdocIssuerKey): MdocSigner {
  const privateKey =
    issuer.privateKey instanceof CryptoKey
      ? KeyObject.from(issuer.privateKey)
      : createPrivateKey({ key: issuer.privateKey as JsonWebKey, format: 'jwk' });
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the mdoc issuer key must be an ES256 (P-256) private key');
  }
  const leaf = new X509Certificate(issuer.leafCertificatePem);
  const certificateJwk = leaf.publicKey.export({ format: 'jwk' });
  const keyJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (certificateJwk.x !== keyJwk.x || certificateJwk.y !== keyJwk.y) {
    throw new Error('the mdoc issuer key does not belong to the leaf certificate: verifiers would reject every signature');
  }
  const context: IssuingContext = {
    crypto: {
      random: (length) => new Uint8Array(randomBytes(length)),
      digest: ({ digestAlgorithm, bytes }) => new Uint8Array(createHash(DIGESTS[digestAlgorithm]).update(bytes).digest()),
    },
    cose: {
      sign1: {
        // COSE ECDSA signatures are r || s (RFC 9053 §2.1), not DER.
        sign: ({ toBeSigned }) => new Uint8Array(sign('sha256', toBeSigned, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
      },
    },
  };
  return {
    context: context as Pick<MdocContext, 'crypto' | 'cose'>,
    coseKey: CoseKey.fromJwk({ ...certificateJwk }),
    certificate: new Uint8Array(leaf.raw),
  };
}
