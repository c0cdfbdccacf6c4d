import type { TranscriptRecord } from './jsonl-lines.js';
import { asObject, nonEmptyString } from './record-fields.js';

/** Token counts of a Codex `token_count` event (`info.total_token_usage` / `last_token_usage`). */
export interface CodexTokenUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
  readonly totalTokens: number;
}

/** One item of a rollout's conversation, in either history encoding. */
export type CodexItem =
  | { readonly kind: 'message'; readonly role: 'user' | 'assistant'; readonly text: string }
  | {
      readonly kind: 'tool_call';
      readonly name: string;
      /** What the call ran or was given (a shell command, the arguments), when the rollout says. */
      readonly input?: string;
    }
  | {
      readonly kind: 'usage';
      readonly total: CodexTokenUsage;
      readonly last: CodexTokenUsage | null;
    };

/**
 * How a rollout records its conversation: `legacy` in `response_item` messages, `paginated`
 * (`session_meta.history_mode`) in `event_msg` `item_completed` items. A paginated rollout also
 * carries `response_item` copies of the same messages (measured on codex-cli 0.171.0), so only one
 * encoding is read per rollout.
 */
export type CodexHistoryMode = 'legacy' | 'paginated';

/** Text wrappers Codex injects as `user` messages (context, instructions), not typed by a person. */
const INJECTED_PREFIXES = [
  '<environment_context>',
  '<user_instructions>',
  '<permissions instructions>',
  '<skills_instructions>',
  '<user_shell_command>',
  '<turn_aborted>',
  '# AGENTS.md instructions',
];

function isInjected(text: string): boolean {
  const trimmed = text.trimStart();
  return INJECTED_PREFIXES.some((prefix) => trimmed.startsWith(prefix));
}

/** The joined text parts (`input_text`, `output_text`, `text`, `Text`) of a content array. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const part of content) {
    const object = asObject(part);
    if (object === null) continue;
    const type = typeof object['type'] === 'string' ? object['type'].toLowerCase() : '';
    const text = object['text'];
    if (
      (type === 'input_text' || type === 'output_text' || type === 'text') &&
      typeof text === 'string'
    )
      parts.push(text);
  }
  return parts.length === 0 ? null : parts.join('\n');
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function usageOf(value: unknown): CodexTokenUsage | null {
  const object = asObject(value);
  if (object === null) return null;
  return {
    inputTokens: count(object['input_tokens']),
    cachedInputTokens: count(object['cached_input_tokens']),
    outputTokens: count(object['output_tokens']),
    reasoningOutputTokens: count(object['reasoning_output_tokens']),
    totalTokens: count(object['total_tokens']),
  };
}

function messageItem(role: unknown, content: unknown): CodexItem | null {
  if (role !== 'user' && role !== 'assistant') return null;
  const text = contentText(content);
  if (text === null || text.trim() === '') return null;
  if (role === 'user' && isInjected(text)) return null;
  return { kind: 'message', role, text };
}

/** Longest tool-call input kept (characters). */
const MAX_TOOL_INPUT_CHARS = 2000;

/** The input of a legacy tool call: its `arguments` / `input` text, or a shell action's command. */
function toolInput(payload: TranscriptRecord): string | null {
  const action = asObject(payload['action']);
  const command = action?.['command'];
  if (Array.isArray(command)) {
    const words = command.filter((word): word is string => typeof word === 'string');
    if (words.length > 0) return words.join(' ').slice(0, MAX_TOOL_INPUT_CHARS);
  }
  const text = nonEmptyString(payload['arguments']) ?? nonEmptyString(payload['input']);
  return text === null ? null : text.slice(0, MAX_TOOL_INPUT_CHARS);
}

function legacyItem(payload: TranscriptRecord): CodexItem | null {
  switch (payload['type']) {
    case 'message':
      return messageItem(payload['role'], payload['content']);
    case 'function_call':
    case 'custom_tool_call':
    case 'local_shell_call': {
      const name = nonEmptyString(payload['name']) ?? String(payload['type']);
      const input = toolInput(payload);
      return input === null ? { kind: 'tool_call', name } : { kind: 'tool_call', name, input };
    }
    default:
      return null;
  }
}

function paginatedItem(item: TranscriptRecord): CodexItem | null {
  switch (item['type']) {
    case 'UserMessage':
      return messageItem('user', item['content']);
    case 'AgentMessage':
      return messageItem('assistant', item['content']);
    case 'CommandExecution': {
      const command = nonEmptyString(item['command']);
      return command === null
        ? { kind: 'tool_call', name: 'shell' }
        : { kind: 'tool_call', name: 'shell', input: command };
    }
    case 'McpToolCall':
    case 'DynamicToolCall':
      return { kind: 'tool_call', name: nonEmptyString(item['tool']) ?? String(item['type']) };
    case 'FileChange':
      return { kind: 'tool_call', name: 'apply_patch' };
    default:
      return null;
  }
}

/**
 * The conversation item a rollout line holds, read in the rollout's encoding; `token_count`
 * events (usage) are read in both. `null` for every other line.
 */
export function codexItemOf(record: TranscriptRecord, mode: CodexHistoryMode): CodexItem | null {
  const payload = asObject(record['payload']);
  if (payload === null) return null;
  if (record['type'] === 'event_msg') {
    if (payload['type'] === 'token_count') {
      const info = asObject(payload['info']);
      const total = usageOf(info?.['total_token_usage']);
      return total === null
        ? null
        : { kind: 'usage', total, last: usageOf(info?.['last_token_usage']) };
    }
    if (mode === 'paginated' && payload['type'] === 'item_completed') {
      const item = asObject(payload['item']);
      return item === null ? null : paginatedItem(item);
    }
    return null;
  }
  if (record['type'] === 'response_item' && mode === 'legacy') return legacyItem(payload);
  return null;
}

/** The history encoding a `session_meta` payload declares (`legacy` when it says nothing). */
export function historyModeOf(sessionMeta: TranscriptRecord | null): CodexHistoryMode {
  return sessionMeta?.['history_mode'] === 'paginated' ? 'paginated' : 'legacy';
}

/**
 * The parent thread of a sub-agent rollout: `session_meta.parent_thread_id`, or the
 * `source.subagent.thread_spawn.parent_thread_id` of a spawned thread.
 */
export function parentThreadIdOf(sessionMeta: TranscriptRecord): string | null {
  const direct = nonEmptyString(sessionMeta['parent_thread_id']);
  if (direct !== null) return direct;
  const source = asObject(sessionMeta['source']);
  const subagent = asObject(source?.['subagent']);
  const spawn = asObject(subagent?.['thread_spawn']);
  return nonEmptyString(spawn?.['parent_thread_id']);
}
