import type { SessionRecord } from '@sessions-db/projection';
import type { OperationError, ReferenceKind, SessionsStore } from '@sessions-db/store';
import { CliError } from './cli-error.js';
import { sessionAgent } from './enums.js';
import { displayLabel } from './format/session-label.js';

function candidateLine(candidate: unknown): string | null {
  if (typeof candidate === 'string') return `  ${candidate}`;
  if (typeof candidate !== 'object' || candidate === null) return null;
  const record = candidate as Partial<SessionRecord> & { label?: unknown };
  if (typeof record.stable_id !== 'string') return null;
  const label = typeof record.label === 'string' ? record.label : displayLabel(record).text;
  return label === null || label === ''
    ? `  ${record.stable_id}`
    : `  ${record.stable_id}  ${label}`;
}

/** Candidate lines of an ambiguous reference (`details` as an array, or `{ candidates }`). */
function candidateLines(details: unknown): string[] {
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' &&
        details !== null &&
        Array.isArray((details as { candidates?: unknown }).candidates)
      ? (details as { candidates: unknown[] }).candidates
      : [];
  return list.map(candidateLine).filter((line): line is string => line !== null);
}

/** A store message without its `function: ` prefix (`setParent: …` → `…`). */
function withoutPrefix(message: string): string {
  return message.replace(/^[A-Za-z]+: /, '');
}

/**
 * A store error as a CLI error (exit 1): `stable_id not found: <ref>` for an unknown session; an
 * ambiguous reference with one line per candidate; `link-parent would create a cycle: …`; the
 * store's message (without its function prefix) for a refused argument; otherwise
 * `<failurePrefix><message>`.
 */
export function storeFailure(error: OperationError, ref: string, failurePrefix = ''): CliError {
  switch (error.code) {
    case 'NOT_FOUND':
      // The store names the reference it could not find (the parent, for link-parent).
      return new CliError(
        error.code,
        error.message.startsWith('stable_id not found: ')
          ? error.message
          : `stable_id not found: ${ref}`,
        {
          details: error.details,
        },
      );
    case 'AMBIGUOUS_REFERENCE': {
      const lines = candidateLines(error.details);
      return new CliError(
        error.code,
        lines.length === 0
          ? error.message
          : `ambiguous session reference "${ref}": it matches ${lines.length}${error.message.includes('(and more)') ? '+' : ''} sessions`,
        { detailLines: lines, details: error.details },
      );
    }
    case 'CYCLE':
      return new CliError(error.code, `link-parent ${withoutPrefix(error.message)}`, {
        details: error.details,
      });
    case 'INVALID_ARGUMENT':
      return new CliError(error.code, withoutPrefix(error.message), { details: error.details });
    default:
      return new CliError(error.code, `${failurePrefix}${error.message}`, {
        details: error.details,
      });
  }
}

/**
 * The session a reference names: full stable id, unique prefix, alias or Claude session id.
 *
 * @throws CliError (exit 1) when nothing matches or the reference is ambiguous.
 */
export function requireSession(
  store: SessionsStore,
  ref: string,
): { readonly session: SessionRecord; readonly matchedBy: ReferenceKind } {
  const found = store.getSession(ref);
  if (!found.ok) throw storeFailure(found.error, ref);
  return { session: found.session, matchedBy: found.matchedBy };
}

/**
 * Check that `session` (named by `ref`) belongs to `agent`, when `--agent` was given.
 *
 * @throws CliError `NOT_FOUND` (exit 1) when it is a session of another agent.
 */
export function requireAgent(session: SessionRecord, agent: string | undefined, ref: string): void {
  if (agent === undefined || agent === '' || sessionAgent(session) === agent) return;
  throw new CliError('NOT_FOUND', `no ${agent} session matches ${ref}`, {
    detailLines: [`hint: ${ref} names a ${sessionAgent(session)} session (${session.stable_id})`],
    details: { ref, agent, session_agent: sessionAgent(session) },
  });
}
