import type { Session } from '../domain/session.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { AnchorKind, TrustAnchor } from './trust.ts';

/**
 * Every anchor a check may chain to: the built-in test attester (unless
 * TEST_ATTESTER_TRUSTED=false), TRUST_ANCHORS_DIR files, anchors added on
 * /trust or through the API, and those that came with this session's offer.
 */
export async function anchorsFor(deps: AppDeps, kind: AnchorKind, session: Session | null): Promise<TrustAnchor[]> {
  return [
    ...(deps.config.testAttesterTrusted ? deps.attester.anchors : []),
    ...deps.fileAnchors,
    ...(await deps.store.anchors.list(kind, session?.id ?? null)),
  ].filter((anchor) => anchor.kind === kind);
}
