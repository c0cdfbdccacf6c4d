import { formatCost, formatTokens } from '../../format/usage-numbers.js';
import type { TimelineEntry } from '@sessions-db/store';
import type { Paint } from '../../format/colors.js';
import { relTime } from '../../format/rel-time.js';
import { safeText } from '../../format/safe-text.js';
import { LABEL_SOURCE_NAMES, shortId } from '../../format/session-label.js';
import { displayWidth, padEndTo, toOneLine, truncateEnd } from '../../format/text-width.js';
import type { RelatedSession, ShowData } from './show-data.js';

/** How `show` renders. */
export interface ShowView {
  readonly paint: Paint;
  readonly now: number;
  readonly columns: number | undefined;
}

const KEY_WIDTH = 15;

function when(iso: string | null | undefined, now: number): string {
  return typeof iso === 'string' && iso !== '' ? `${iso} (${relTime(iso, now)})` : '-';
}

function orDash(value: unknown): string {
  return typeof value === 'string' && value !== '' ? toOneLine(value) : '-';
}

function listOrDash(values: readonly string[] | undefined): string {
  return values === undefined || values.length === 0 ? '-' : toOneLine(values.join(', '));
}

function size(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '?';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function compact(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The payload fields an op's timeline summary shows, in order: label -> payload key. */
type SummaryFields = Readonly<Record<string, string>>;

const LINK_FIELDS: SummaryFields = { tasks: 'tasks', projects: 'projects' };

/** The ops summarised field by field, and their fields. */
const SUMMARY_FIELDS: ReadonlyMap<string, SummaryFields> = new Map<string, SummaryFields>([
  [
    'session_seen',
    { source: 'source', claude_session_id: 'claude_session_id', branch: 'branch_current' },
  ],
  ['session_end', { reason: 'reason', claude_session_id: 'claude_session_id' }],
  ['close', { outcome: 'outcome', reason: 'closed_reason' }],
  ['reopen', { reason: 'reason' }],
  ['sweep', { state: 'activity_state' }],
  ['session_link', LINK_FIELDS],
  ['session_unlink', LINK_FIELDS],
  ['ai_title_seen', { ai_title: 'ai_title' }],
  ['custom_title_seen', { custom_title: 'custom_title' }],
]);

/** A short summary of an event payload for the timeline. */
export function summarizePayload(entry: Pick<TimelineEntry, 'op' | 'payload'>): string {
  const p = entry.payload;
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value) && value.length === 0) return;
    parts.push(`${key}=${Array.isArray(value) ? value.join(',') : compact(value)}`);
  };
  const fields = SUMMARY_FIELDS.get(entry.op);
  if (fields !== undefined) {
    for (const [label, key] of Object.entries(fields)) add(label, p[key]);
  } else if (entry.op === 'alias_set') {
    parts.push(p['alias'] === null ? 'cleared' : `alias=${compact(p['alias'])}`);
  } else if (entry.op === 'parent_set') {
    parts.push(
      p['parent_session_id'] === null ? 'cleared' : `parent=${compact(p['parent_session_id'])}`,
    );
    add('kind', p['kind']);
    if (p['auto'] === true) parts.push('auto');
  } else {
    parts.push(JSON.stringify(p));
  }
  return parts.join('  ');
}

/**
 * `show` as text: a header with the label and its source, then fields, git, lineage, transcripts,
 * identity and timeline. Values are cut to the terminal width; piped output is not cut.
 */
export function renderShow(data: ShowData, view: ShowView): string {
  const { paint, now } = view;
  const s = data.session;
  const width = view.columns ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  const row = (key: string, value: string): void => {
    const head = `  ${padEndTo(key, KEY_WIDTH)}`;
    lines.push(`${paint.dim(head)}${truncateEnd(value, Math.max(width - displayWidth(head), 20))}`);
  };
  const section = (title: string): void => {
    lines.push('', paint.bold(title));
  };
  const relatedText = (r: RelatedSession): string =>
    `${r.edge_kind === null ? '' : `[${r.edge_kind}] `}${r.stable_id}${r.label === null ? '' : `  ${r.label}`}`;

  const title = data.label.text ?? '(no label)';
  const source =
    data.label.source === null ? '' : paint.dim(` [${LABEL_SOURCE_NAMES[data.label.source]}]`);
  lines.push(`${paint.bold(truncateEnd(title, Math.max(width - 20, 20)))}${source}`);
  row('stable_id', s.stable_id);
  row('matched by', data.matched_by);
  // Claude Code sessions carry no agent; another agent's are named.
  if (typeof s.agent === 'string') row('agent', safeText(s.agent));
  row('alias', orDash(s.alias));
  row('custom title', orDash(s.custom_title));
  row('AI title', orDash(s.ai_title));
  row('first prompt', orDash(s.first_prompt_preview));
  row('claude ids', listOrDash(s.claude_session_ids));
  row('state', `${orDash(s.activity_state)} / ${orDash(s.outcome)}`);
  row('created', when(s.created_at, now));
  row('last progress', when(s.last_progress_at, now));
  if (typeof s.ended_at === 'string')
    row('ended', `${when(s.ended_at, now)}${s.end_reason ? `, reason ${s.end_reason}` : ''}`);
  if (typeof s.closed_at === 'string')
    row(
      'closed',
      `${when(s.closed_at, now)}${s.closed_reason ? `, reason: ${toOneLine(s.closed_reason)}` : ''}`,
    );
  row('tasks', listOrDash(s.tasks));
  row('projects', listOrDash(s.projects));

  section('git');
  row('cwd', orDash(s.cwd));
  row('worktree', orDash(s.worktree_path_observed));
  if (s.worktree_realpath && s.worktree_realpath !== s.worktree_path_observed)
    row('realpath', s.worktree_realpath);
  row('git dir', orDash(s.git_common_dir));
  row(
    'branch',
    `${orDash(s.branch_current)}${s.branch_at_start && s.branch_at_start !== s.branch_current ? ` (started on ${s.branch_at_start})` : ''}`,
  );
  row(
    'head',
    `${orDash(s.head_last_seen)}${s.head_at_start && s.head_at_start !== s.head_last_seen ? ` (started at ${s.head_at_start})` : ''}`,
  );

  section('lineage');
  row('parent', data.parent === null ? '-' : relatedText(data.parent));
  if (data.children.length === 0) row('children', '-');
  data.children.forEach((child, index) => row(index === 0 ? 'children' : '', relatedText(child)));
  const candidates = s.parent_candidate_ids ?? [];
  candidates.forEach((candidate, index) => {
    const id = candidate.stable_id ?? candidate.parent_id ?? candidate.id ?? '?';
    const how = [candidate.source, candidate.confidence]
      .filter((part) => typeof part === 'string')
      .join(', ');
    row(index === 0 ? 'candidates' : '', `${shortId(id)}${how === '' ? '' : ` (${how})`}`);
  });
  if (s.parent_candidates_omitted_count > 0)
    row('', `(+${s.parent_candidates_omitted_count} more)`);

  section('transcripts');
  if (s.transcript_files.length === 0) lines.push('  -');
  s.transcript_files.forEach((file, i) => {
    // Once the agent deleted a transcript, say whether the archive still has it.
    const where = data.transcripts[i]?.state;
    const status = where === 'archived' || where === 'missing' ? where : String(file.status);
    lines.push(
      `  ${padEndTo(status, 10)}${padEndTo(size(file.size), 10)}${padEndTo(relTime(file.mtime, now), 10)}${file.path}`,
    );
  });

  if (data.usage !== null) {
    const u = data.usage;
    section('usage');
    row('responses', formatTokens(u.responses));
    row('input', formatTokens(u.tokens.input));
    row('output', formatTokens(u.tokens.output));
    row(
      'cache write',
      `${formatTokens(u.tokens.cacheWrite5m + u.tokens.cacheWrite1h)} (5 min ${formatTokens(u.tokens.cacheWrite5m)}, 1 h ${formatTokens(u.tokens.cacheWrite1h)})`,
    );
    row('cache read', formatTokens(u.tokens.cacheRead));
    row('cost', formatCost(u.cost));
    u.models.forEach((model, index) =>
      row(
        index === 0 ? 'models' : '',
        `${model.model === '' ? '(none)' : safeText(model.model)}: ${formatTokens(model.responses)} responses, ${formatCost(model.cost)}`,
      ),
    );
  }

  section('identity');
  const identity = s.identity_resolution;
  row('source', identity === null ? '-' : `${identity.source} (${identity.confidence})`);
  if (identity !== null) row('matched', JSON.stringify(identity.matched));

  section(`timeline (${data.timeline.length} event${data.timeline.length === 1 ? '' : 's'})`);
  for (const entry of data.timeline) {
    const head = `  ${entry.ts}  ${padEndTo(entry.op, 19)}`;
    lines.push(
      `${head}${truncateEnd(summarizePayload(entry), Math.max(width - displayWidth(head), 20))}`.trimEnd(),
    );
  }
  return lines.join('\n');
}
