import type { Paint } from '../../format/colors.js';
import { shortId } from '../../format/session-label.js';
import { padEndTo } from '../../format/text-width.js';
import type { ImportSummary } from '@sessions-db/store';

/** How many linked (fork / resume) transcripts the summary lists one by one. */
export const MAX_LISTED_LINKS = 20;

/** The import summary: totals, then the forks and resumes that were linked, skipped files by reason. */
export function renderImport(summary: ImportSummary, paint: Paint): string {
  const c = summary.counts;
  const lines: string[] = [];
  lines.push(
    summary.dry_run
      ? `${paint.bold('dry run')}: nothing was written. Would import from ${summary.projects_dir}`
      : `Imported ${summary.agent === 'codex' ? 'Codex CLI' : 'Claude Code'} history from ${summary.projects_dir}`,
  );
  if (summary.since !== null) lines.push(`  (only transcripts active since ${summary.since})`);
  const row = (label: string, value: number, note = ''): void => {
    lines.push(
      `  ${padEndTo(label, 24)}${String(value).padStart(6)}${note === '' ? '' : `  ${paint.dim(note)}`}`,
    );
  };
  const sessionsWithSubagents = summary.transcripts.filter((t) => t.subagents > 0).length;
  row('transcripts scanned', c.transcripts_scanned);
  row(summary.dry_run ? 'sessions to add' : 'sessions new', c.sessions_new);
  row('already known', c.already_known, 'unchanged since the last import or hook run');
  row(
    summary.dry_run ? 'sessions to refresh' : 'sessions updated',
    c.sessions_updated,
    'known, transcript grew',
  );
  if (!summary.dry_run) {
    row('resumes linked', c.resumes_linked, 'new Claude session id, same session');
    row('forks linked', c.forks_linked, 'new session, parent = origin');
  }
  row(
    'subagent transcripts',
    c.subagent_transcripts,
    c.subagent_transcripts === 0
      ? ''
      : `attached to ${sessionsWithSubagents} session${sessionsWithSubagents === 1 ? '' : 's'}`,
  );
  if (c.subagents_without_parent > 0)
    row('subagents, no parent', c.subagents_without_parent, 'parent transcript not found');
  row('skipped', c.skipped);
  const activity = summary.activity;
  if (activity !== null && activity.to_idle + activity.to_archived + activity.to_active > 0) {
    row('now archived', activity.to_archived, 'no activity for 30+ days (sweep rules)');
    row('now idle', activity.to_idle, 'no activity for 14+ days');
    if (activity.to_active > 0) row('active again', activity.to_active, 'recent activity');
  }
  for (const [reason, n] of Object.entries(summary.skipped_by_reason))
    lines.push(`    ${n} × ${reason}`);
  if (summary.dry_run)
    lines.push(
      '  Forks and resumes are linked when the transcripts are recorded (run without --dry-run).',
    );

  const links = summary.transcripts.filter((t) => t.status === 'linked' || t.parent !== null);
  if (links.length > 0) {
    lines.push('', paint.bold('linked'));
    for (const t of links.slice(0, MAX_LISTED_LINKS)) {
      const kind = t.parent === null ? 'resume' : t.parent.kind;
      const target =
        t.parent === null
          ? `joined ${shortId(t.stable_id)}`
          : `${shortId(t.stable_id)} ← parent ${shortId(t.parent.stable_id)}`;
      lines.push(`  ${padEndTo(`[${kind}]`, 9)}${t.claude_session_id}  ${target}`);
    }
    if (links.length > MAX_LISTED_LINKS)
      lines.push(`  … and ${links.length - MAX_LISTED_LINKS} more (see --json)`);
  }
  if (summary.listing_errors.length > 0) {
    lines.push('', paint.bold('could not read'));
    for (const error of summary.listing_errors.slice(0, MAX_LISTED_LINKS))
      lines.push(`  ${error.path}: ${error.message}`);
  }
  return lines.join('\n');
}
