// @fastify/static refuses non-canonical paths (encoded dot segments, NUL, backslashes, `//`, names too
// long to check) with a 403 FST_STATIC_FORBIDDEN_PATH error, and passes `send`'s 412 and 416 on as
// errors too. The app's one error handler knows none of them and answers 500. Here they end as the
// HTTP answers they are, inside the static files' own scope, before they reach that handler.
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StaticFilesOptions {
  /** Directory served; nothing outside it is reachable. */
  root: string;
  /** URL prefix ending in a slash, e.g. `${basePath}/static/`. */
  prefix: string;
  /** Cache-Control max-age; `1h` by default. */
  maxAge?: string;
}

/** Conditional and range failures from `send` (http-errors), which carry their status and headers. */
interface SendError extends FastifyError {
  status?: number;
  headers?: Record<string, string>;
}

function answerStaticError(error: SendError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.code === 'FST_STATIC_FORBIDDEN_PATH') {
    reply.callNotFound();
    return reply;
  }
  const status = error.status ?? error.statusCode;
  if (status === 412 || status === 416) {
    reply.code(status).headers(error.headers ?? {});
    return reply.send();
  }
  // Anything else is a real failure: the app's error handler logs it and answers 500.
  throw error;
}

export async function registerStaticFiles(app: FastifyInstance, options: StaticFilesOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(answerStaticError);
    await scope.register(fastifyStatic, { root: options.root, prefix: options.prefix, maxAge: options.maxAge ?? '1h' });
  });
}
