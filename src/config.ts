import { z } from 'zod';

// The only reader of process.env. Every problem is reported at once so a
// tester fixes the environment in one go instead of one restart per typo.
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

const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: z.string().optional(),
    DATABASE_PATH: z.string().min(1).default('./data/playground.db'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: trustProxy,
    TRUST_ANCHORS_DIR: z.string().min(1).optional(),
    TEST_ATTESTER_TRUSTED: z.enum(['true', 'false']).default('true'),
  })
  .transform((env, ctx) => {
    const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    let url: URL;
    try {
      url = new URL(publicUrl);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['PUBLIC_URL'], message: `is not a URL: ${publicUrl}` });
      return z.NEVER;
    }
    // OFF-03: the Credential Issuer Identifier has no query and no fragment.
    if (url.search || url.hash || !/^https?:$/.test(url.protocol)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['PUBLIC_URL'], message: 'must be an http(s) URL without query or fragment' });
      return z.NEVER;
    }
    return {
      port: env.PORT,
      host: env.HOST,
      publicUrl: url.href.replace(/\/$/, ''),
      databasePath: env.DATABASE_PATH,
      logLevel: env.LOG_LEVEL,
      trustProxy: env.TRUST_PROXY,
      trustAnchorsDir: env.TRUST_ANCHORS_DIR ?? null,
      testAttesterTrusted: env.TEST_ATTESTER_TRUSTED === 'true',
    };
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || 'environment'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
