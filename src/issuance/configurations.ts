import { z } from 'zod';

// Credential configurations as data: adding one is adding an entry here.

export type ClaimType = 'string' | 'date' | 'number' | 'boolean' | 'string[]';

export interface ClaimDefinition {
  path: string[];
  type: ClaimType;
  mandatory?: boolean;
  label: string;
}

export interface CredentialConfiguration {
  id: string;
  format: 'dc+sd-jwt' | 'jwt_vc_json';
  scope: string;
  vct?: string;
  type?: string[];
  name: string;
  description: string;
  background_color: string;
  text_color: string;
  claims: ClaimDefinition[];
  sample: Record<string, unknown>;
  validity_days: number;
  /** Answered with 202 and a transaction_id; completed later by the tester or an automatic plan. */
  deferred: boolean;
}

const pidClaims: ClaimDefinition[] = [
  { path: ['family_name'], type: 'string', mandatory: true, label: 'Family name' },
  { path: ['given_name'], type: 'string', mandatory: true, label: 'Given name' },
  { path: ['birthdate'], type: 'date', mandatory: true, label: 'Date of birth' },
  { path: ['place_of_birth', 'locality'], type: 'string', label: 'Place of birth' },
  { path: ['nationalities'], type: 'string[]', mandatory: true, label: 'Nationalities' },
  { path: ['address', 'street_address'], type: 'string', label: 'Street address' },
  { path: ['address', 'locality'], type: 'string', label: 'City' },
  { path: ['address', 'postal_code'], type: 'string', label: 'Postal code' },
  { path: ['address', 'country'], type: 'string', label: 'Country' },
  { path: ['age_equal_or_over', '18'], type: 'boolean', label: 'Age 18 or over' },
  { path: ['issuing_authority'], type: 'string', mandatory: true, label: 'Issuing authority' },
  { path: ['issuing_country'], type: 'string', mandatory: true, label: 'Issuing country' },
];

const pidSample = {
  family_name: 'Mustermann',
  given_name: 'Erika',
  birthdate: '1984-01-26',
  place_of_birth: { locality: 'Berlin' },
  nationalities: ['DE'],
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  age_equal_or_over: { '18': true },
  issuing_authority: 'DE',
  issuing_country: 'DE',
};

const immediateConfigurations: readonly CredentialConfiguration[] = [
  {
    id: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    format: 'dc+sd-jwt',
    scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    vct: 'urn:eudi:pid:1',
    name: 'EU Person Identification Data (SD-JWT VC)',
    description: 'The EUDI Wallet PID as an SD-JWT VC with selectively disclosable claims.',
    background_color: '#12107c',
    text_color: '#ffffff',
    claims: pidClaims,
    sample: pidSample,
    validity_days: 90,
    deferred: false,
  },
  {
    id: 'eu.europa.ec.eudi.pid_jwt_vc',
    format: 'jwt_vc_json',
    scope: 'eu.europa.ec.eudi.pid_jwt_vc',
    type: ['VerifiableCredential', 'EuropeanPersonIdentificationData'],
    name: 'EU Person Identification Data (JWT VC)',
    description: 'The EUDI Wallet PID as a W3C Verifiable Credential in a JWT.',
    background_color: '#1f3b8f',
    text_color: '#ffffff',
    claims: pidClaims,
    sample: pidSample,
    validity_days: 90,
    deferred: false,
  },
  {
    id: 'org.example.university_diploma_sd_jwt',
    format: 'dc+sd-jwt',
    scope: 'org.example.university_diploma_sd_jwt',
    vct: 'urn:example:diploma:1',
    name: 'University Diploma',
    description: 'A bachelor diploma from the Example University of Applied Wallets.',
    background_color: '#7a1f3d',
    text_color: '#ffffff',
    claims: [
      { path: ['given_name'], type: 'string', mandatory: true, label: 'Given name' },
      { path: ['family_name'], type: 'string', mandatory: true, label: 'Family name' },
      { path: ['degree'], type: 'string', mandatory: true, label: 'Degree' },
      { path: ['field_of_study'], type: 'string', mandatory: true, label: 'Field of study' },
      { path: ['graduation_date'], type: 'date', mandatory: true, label: 'Graduation date' },
      { path: ['grade'], type: 'string', label: 'Final grade' },
      { path: ['ects_credits'], type: 'number', label: 'ECTS credits' },
    ],
    sample: {
      given_name: 'Erika',
      family_name: 'Mustermann',
      degree: 'Bachelor of Science',
      field_of_study: 'Computer Science',
      graduation_date: '2008-07-15',
      grade: '1.3',
      ects_credits: 180,
    },
    validity_days: 3650,
    deferred: false,
  },
];

export const DEFERRED_SUFFIX = '_deferred';

/** Every configuration has a deferred twin with the same claims, so each format can be tested both ways. */
const deferredTwin = (config: CredentialConfiguration): CredentialConfiguration => ({
  ...config,
  id: `${config.id}${DEFERRED_SUFFIX}`,
  scope: `${config.scope}${DEFERRED_SUFFIX}`,
  name: `${config.name} (deferred)`,
  description: `${config.description} Issued deferred: the tester supplies the claims on the session page.`,
  deferred: true,
});

export const credentialConfigurations: readonly CredentialConfiguration[] = [
  ...immediateConfigurations,
  ...immediateConfigurations.map(deferredTwin),
];

const byId = new Map(credentialConfigurations.map((c) => [c.id, c]));

export function findConfiguration(id: string): CredentialConfiguration | undefined {
  return byId.get(id);
}

const leafSchema: Record<ClaimType, z.ZodTypeAny> = {
  string: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  number: z.number().finite(),
  boolean: z.boolean(),
  'string[]': z.array(z.string().min(1)).min(1),
};

/** A zod schema for the claims of a configuration, built from its claim metadata; extra claims are kept. */
export function claimsSchema(config: CredentialConfiguration): z.ZodTypeAny {
  type Node = { leaf?: ClaimDefinition; children: Map<string, Node> };
  const root: Node = { children: new Map() };
  for (const claim of config.claims) {
    let node = root;
    for (const segment of claim.path) {
      if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
      node = node.children.get(segment)!;
    }
    node.leaf = claim;
  }
  const build = (node: Node): z.ZodTypeAny => {
    const shape: Record<string, z.ZodTypeAny> = {};
    for (const [key, child] of node.children) {
      const schema = child.leaf ? leafSchema[child.leaf.type] : build(child);
      const required = child.leaf ? child.leaf.mandatory === true : [...child.children.values()].some((c) => c.leaf?.mandatory);
      shape[key] = required ? schema : schema.optional();
    }
    return z.object(shape).passthrough();
  };
  return build(root);
}
