import type { z } from 'zod';
import type { Problem } from '../checks/offer-request.ts';

/** zod issues as the `problems` list every playground API error carries. */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}
