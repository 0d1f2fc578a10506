import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The only reader of process.env. Every variable is checked on its own, so a tester sees every
// problem at once instead of one restart per typo; values are combined only when all are valid.
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): boolean | number | string => {
    if (value === undefined || value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    if (/^[\d.:/a-fA-F, ]+$/.test(value)) return value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be true, false, a hop count or a list of addresses/CIDRs' });
    return z.NEVER;
  });

// OFF-03: the Credential Issuer Identifier is an http(s) URL without query and fragment.
const publicUrl = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a URL: ${value}` });
      return;
    }
    if (url.search || url.hash || !/^https?:$/.test(url.protocol)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an http(s) URL without query or fragment' });
    }
  });

const databaseUrl = z
  .string()
  .optional()
  .refine(
    (value) => value === undefined || value === '' || /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// (or postgresql://) URL',
  );

const readableFile = z
  .string()
  .min(1)
  .optional()
  .transform((path, ctx) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `cannot be read: ${(error as Error).message}` });
      return z.NEVER;
    }
  });

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: publicUrl,
    DATABASE_PATH: z.string().min(1).default('./data/playground.db'),
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: positiveInt(10, 500),
    DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(10_000, 600_000),
    DATABASE_SSL: z.enum(['url', 'require', 'verify-full']).default('url'),
    DATABASE_SSL_CA: readableFile,
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: trustProxy,
    TRUST_ANCHORS_DIR: z.string().min(1).optional(),
    TEST_ATTESTER_TRUSTED: z.enum(['true', 'false']).default('true'),
    LOG_CLIENT_IPS: z.enum(['true', 'false']).default('false'),
    LIVE_STREAMS_PER_CLIENT: positiveInt(8, 1000),
    LIVE_STREAMS_TOTAL: positiveInt(200, 100_000),
    LIVE_STREAM_BUFFER_KIB: positiveInt(256, 65_536),
    // The operator's secret: Bearer on the API, or typed into /login. Unset: no operator, and the console says what anyone may do.
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters (use a long random value)').optional(),
    OFFER_CREATION: z.enum(['open', 'admin']).default('open'),
    RATE_LIMIT_WALLET: positiveInt(600, 1_000_000),
    // A wallet that starts at PAR without issuer_state gets a new session: approved on the consent page, at once, or refused.
    WALLET_INITIATED: z.enum(['tester', 'auto', 'off']).default('tester'),
    // WA-10: the oldest wallet attestation (seconds since its iat) accepted, unless an offer sets its own.
    MAX_ATTESTATION_AGE_S: z.coerce
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .optional(),
    RATE_LIMIT_OFFERS: positiveInt(30, 1_000_000),
    RATE_LIMIT_MANAGEMENT: positiveInt(60, 1_000_000),
    RETENTION_HOURS: positiveInt(168, 87_600),
    UNATTRIBUTED_LOG_MAX_ROWS: positiveInt(10_000, 10_000_000),
    PRUNE_INTERVAL_SECONDS: positiveInt(600, 86_400),
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ? new URL(env.PUBLIC_URL).href : `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    database: env.DATABASE_URL
      ? {
          engine: 'postgres' as const,
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
          ssl: env.DATABASE_SSL,
          ...(env.DATABASE_SSL_CA ? { caPem: env.DATABASE_SSL_CA } : {}),
          ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
        }
      : { engine: 'sqlite' as const, path: env.DATABASE_PATH },
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    trustAnchorsDir: env.TRUST_ANCHORS_DIR ?? null,
    testAttesterTrusted: env.TEST_ATTESTER_TRUSTED === 'true',
    logClientIps: env.LOG_CLIENT_IPS === 'true',
    liveStreams: { perClient: env.LIVE_STREAMS_PER_CLIENT, total: env.LIVE_STREAMS_TOTAL, bufferKib: env.LIVE_STREAM_BUFFER_KIB },
    adminToken: env.ADMIN_TOKEN ?? null,
    offerCreation: env.OFFER_CREATION,
    walletInitiated: env.WALLET_INITIATED,
    maxAttestationAgeSeconds: env.MAX_ATTESTATION_AGE_S,
    // Requests per minute per client address.
    rateLimits: {
      wallet: env.RATE_LIMIT_WALLET,
      offerCreation: env.RATE_LIMIT_OFFERS,
      managementWrite: env.RATE_LIMIT_MANAGEMENT,
    },
    retention: {
      hours: env.RETENTION_HOURS,
      unattributedLogMaxRows: env.UNATTRIBUTED_LOG_MAX_ROWS,
      pruneIntervalSeconds: env.PRUNE_INTERVAL_SECONDS,
    },
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || 'environment'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/** Where the data lives, for start-up messages and /healthz (never the password). */
export function describeDatabase(database: Config['database']): string {
  if (database.engine === 'sqlite') return `SQLite ${database.path}`;
  const url = new URL(database.url);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}${database.schema ? ` (schema ${database.schema})` : ''}`;
}
