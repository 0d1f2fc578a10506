// A minimal round-robin HTTP proxy in front of several playground nodes, as a load balancer would be:
// each request goes to the next node; a node that refuses the connection is skipped. Responses
// stream through unbuffered, so live pages (Server-Sent Events) work across it.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream served, in upstream order. */
  served: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(port: number, upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const served = upstreams.map(() => 0);
  let next = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, attempt: number) => {
    const index = next++ % upstreams.length;
    const target = new URL(incoming.url ?? '/', upstreams[index]);
    const upstream = request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      served[index]!++;
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Connection refused means nothing was sent: another node may take the request.
      if (error.code === 'ECONNREFUSED' && attempt + 1 < upstreams.length) return forward(incoming, outgoing, body, attempt + 1);
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`bad gateway: ${error.message}`);
    });
    outgoing.on('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, outgoing, Buffer.concat(chunks), 0));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
