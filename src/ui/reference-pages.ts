// Pages that are not about one session: requests tied to no session, and the diagnostics catalogue,
// which is generated from the catalogue itself so it cannot drift from what the issuer says.
import type { FastifyInstance } from 'fastify';
import { catalogue } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { buildLogList, type LogQuery } from './log-list-view.ts';

export interface DiagnosticsView {
  title: string;
  total: number;
  groups: Array<{
    prefix: string;
    diagnostics: Array<{
      id: string;
      /** The first diagnostic of a rule also carries the rule's anchor, which check links point at. */
      ruleAnchor: string | null;
      rule: string;
      error: string;
      status: number;
      title: string;
      reason: string;
      help: string;
      specRef: string;
    }>;
  }>;
}

// Groups follow the rule ids' prefixes (TOK, DPOP, CRED, …) in catalogue order.
const prefixOf = (id: string, rule: string) => (rule !== '-' ? rule : id).split(/[-.]/)[0]!;

export function buildDiagnosticsView(): DiagnosticsView {
  const seenRules = new Set<string>();
  const groups = new Map<string, DiagnosticsView['groups'][number]['diagnostics']>();
  for (const d of catalogue) {
    const anchored = d.rule !== '-' && !seenRules.has(d.rule);
    seenRules.add(d.rule);
    const prefix = prefixOf(d.id, d.rule);
    if (!groups.has(prefix)) groups.set(prefix, []);
    groups.get(prefix)!.push({
      id: d.id,
      ruleAnchor: anchored ? `rule-${d.rule}` : null,
      rule: d.rule,
      error: d.error,
      status: d.status,
      title: d.title,
      reason: d.reason,
      help: d.help,
      specRef: d.spec_ref,
    });
  }
  return {
    title: 'Diagnostics',
    total: catalogue.length,
    groups: [...groups].map(([prefix, diagnostics]) => ({ prefix, diagnostics })),
  };
}

export function registerReferencePages(app: FastifyInstance, deps: AppDeps): void {
  const diagnostics = buildDiagnosticsView();

  app.get<{ Querystring: LogQuery }>('/logs', { config: { operator: true } }, async (request, reply) => {
    const base = request.issuer.basePath;
    const logs = await buildLogList(
      deps.store,
      null,
      request.query,
      { page: `${base}/logs`, stream: `${base}/logs/events`, diagnostics: `${base}/diagnostics` },
      deps.now(),
    );
    return reply.view('pages/logs', { title: 'Requests without a session', nav: 'logs', scripts: ['live.js'], logs });
  });

  app.get('/diagnostics', async (_request, reply) => reply.view('pages/diagnostics', { nav: 'diagnostics', ...diagnostics }));
}
