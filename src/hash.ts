import { createHash } from 'node:crypto';

/** What the database keeps of a bearer secret (access token, session capability, workspace cookie): its SHA-256, base64url. */
export const sha256Url = (value: string): string => createHash('sha256').update(value).digest('base64url');
