// Key material the playground creates once and keeps: the issuer key and the built-in test attester.

export interface IssuerKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  leaf_pem: string;
  ca_pem: string;
  ca_private_jwk: string;
  created_at: number;
}

export interface TestAttesterKeyRow {
  id: string;
  ca_pem: string;
  ca_private_jwk: string;
  leaf_pem: string;
  leaf_private_jwk: string;
  created_at: number;
}
