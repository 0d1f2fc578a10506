import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';

/** Answers other methods on a POST endpoint with 405 and an explained log entry instead of a bare 404. */
export function rejectOtherMethods(app: FastifyInstance, url: string, endpoint: string): void {
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url,
    config: { endpoint },
    handler: async (request) => {
      throw new ProtocolError('HTTP.method_not_allowed', `${request.method} ${endpoint}; use POST`);
    },
  });
}

/** The media type of the request body, without parameters such as charset. */
export function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
