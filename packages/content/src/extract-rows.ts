import { codexLineItem } from '@sessions-db/git-transcript';

/** Who said an indexed piece of text. Tool calls and tool results are `tool`. */
export type ContentRole = 'user' | 'assistant' | 'tool';

/** One searchable piece of a transcript line. */
export interface ContentRow {
  readonly role: ContentRole;
  readonly text: string;
  /** ISO timestamp of the line, or '' when it has none. */
  readonly ts: string;
  /** The line's message uuid, or '' when it has none. */
  readonly uuid: string;
}

/** Longest tool result text kept in the index. */
export const MAX_TOOL_RESULT_CHARS = 2000;
const MAX_TOOL_INPUT_CHARS = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toolCallText(block: Record<string, unknown>): string {
  const name = str(block.name);
  const input = isRecord(block.input) ? block.input : {};
  const parts = [name];
  for (const field of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description']) {
    const v = input[field];
    if (typeof v === 'string' && v !== '') parts.push(v);
  }
  if (parts.length === 1 && Object.keys(input).length > 0) {
    parts.push(JSON.stringify(input).slice(0, MAX_TOOL_INPUT_CHARS));
  }
  return parts.join(' ').slice(0, MAX_TOOL_INPUT_CHARS * 4);
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content.slice(0, MAX_TOOL_RESULT_CHARS);
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const item of content) {
    if (isRecord(item) && item.type === 'text') texts.push(str(item.text));
  }
  return texts.join('\n').slice(0, MAX_TOOL_RESULT_CHARS);
}

/**
 * The searchable rows of one Claude Code transcript line: user prompts, assistant text, tool
 * calls (tool name, Bash command, file path…) and tool results cut to
 * {@link MAX_TOOL_RESULT_CHARS}. Claude's internal rows (`isMeta`, snapshots, summaries,
 * `api-request*`, system rows) and unparseable lines give none. Pure.
 */
export function extractContentRows(line: string): ContentRow[] {
  return contentRowsOf(parseLine(line));
}

/** A transcript line parsed as JSON, or `null` when it is not JSON. Pure. */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/**
 * {@link extractContentRows} of a line already parsed (see {@link parseLine}), so a line that is
 * also read for its usage is parsed once. Pure.
 */
export function contentRowsOf(parsed: unknown): ContentRow[] {
  if (!isRecord(parsed) || parsed.isMeta === true) return [];
  const type = parsed.type;
  if (type !== 'user' && type !== 'assistant') return [];
  const message = parsed.message;
  if (!isRecord(message)) return [];
  const ts = str(parsed.timestamp);
  const uuid = str(parsed.uuid);
  const rows: ContentRow[] = [];
  const push = (role: ContentRole, text: string): void => {
    const trimmed = text.trim();
    if (trimmed !== '') rows.push({ role, text: trimmed, ts, uuid });
  };
  const content = message.content;
  if (typeof content === 'string') {
    push(type, content);
    return rows;
  }
  if (!Array.isArray(content)) return rows;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text') push(type, str(block.text));
    else if (block.type === 'tool_use') push('tool', toolCallText(block));
    else if (block.type === 'tool_result') push('tool', toolResultText(block.content));
  }
  return rows;
}

/**
 * The searchable rows of one Codex CLI rollout line: user and assistant messages, and tool calls
 * (tool name and what it ran), read through `@sessions-db/git-transcript`'s rollout reader;
 * injected context, usage events and everything else give none. Pure.
 */
export function extractCodexContentRows(line: string): ContentRow[] {
  const item = codexLineItem(line);
  if (item === null || item.kind === 'usage') return [];
  const ts = item.timestamp ?? '';
  if (item.kind === 'message') return [{ role: item.role, text: item.text, ts, uuid: '' }];
  const text = item.input === undefined ? item.name : `${item.name} ${item.input}`;
  return [{ role: 'tool', text, ts, uuid: '' }];
}
