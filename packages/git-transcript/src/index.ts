export {
  encodeProjectDir,
  projectDirOf,
  projectsRoot,
  resolveClaudeConfigFile,
  resolveClaudeHome,
  MAX_PROJECT_DIR_CHARS,
} from './claude-paths.js';
export type { ClaudeHomeEnv } from './claude-paths.js';
export { findTranscript } from './find-transcript.js';
export type {
  FindTranscriptInput,
  FoundTranscript,
  TranscriptFoundVia,
} from './find-transcript.js';
export type {
  GitContext,
  GitContextSource,
  GitContextStatus,
  ReadGitContextOptions,
} from './git-context-types.js';
export {
  listProjectDirs,
  listProjectTranscripts,
  listSubagentTranscripts,
  listTranscriptsIn,
} from './list-transcripts.js';
export type {
  ListError,
  ListProjectTranscriptsOptions,
  ListSubagentTranscriptsOptions,
  ProjectDirList,
  ProjectTranscriptFile,
  ProjectTranscriptList,
  SubagentLayout,
  SubagentTranscriptFile,
  SubagentTranscriptList,
} from './list-transcripts.js';
export { DEFAULT_GIT_BUDGET_MS, readGitContext } from './read-git-context.js';
export { FIRST_TIMESTAMP_BYTES, readFirstTimestamp } from './read-first-timestamp.js';
export type { FirstTimestamp } from './read-first-timestamp.js';
export {
  DEFAULT_MAX_UUIDS,
  DEFAULT_WINDOW_BYTES,
  readTranscriptMeta,
} from './read-transcript-meta.js';
export type {
  ReadTranscriptMetaOptions,
  TranscriptForkOrigin,
  TranscriptMeta,
  TranscriptPrLink,
  TranscriptStatus,
} from './read-transcript-meta.js';
export { readTranscriptText } from './read-transcript-text.js';
export type { ReadTranscriptTextOptions, TranscriptTextEntry } from './read-transcript-text.js';
export {
  DEFAULT_PREVIEW_CODE_POINTS,
  sanitizeFirstPrompt,
  stripIdeWrappers,
  stripSystemReminders,
} from './sanitize-first-prompt.js';
export type { SanitizeOptions } from './sanitize-first-prompt.js';
export { isUuidShaped } from './uuid-shape.js';
export { errorCode, errorMessage } from './read-window.js';
export { redactOptional, redactSecrets } from './redact-secrets.js';
export {
  AGENT_NAMES,
  agentAdapter,
  claudeAdapter,
  claudeProjectDirs,
  codexAdapter,
  isAgentName,
} from './agent-adapter.js';
export type {
  AgentAdapter,
  AgentHomeEnv,
  AgentItem,
  AgentName,
  AgentTranscriptList,
} from './agent-adapter.js';
export {
  codexArchivedRoot,
  codexSessionIndexPath,
  codexSessionsRoot,
  parseRolloutName,
  resolveCodexHome,
} from './codex-paths.js';
export type { CodexHomeEnv } from './codex-paths.js';
export type { CodexHistoryMode, CodexTokenUsage } from './codex-records.js';
export { readCodexSessionIndex } from './codex-session-index.js';
export { listCodexRollouts } from './list-codex-rollouts.js';
export type { CodexRolloutFile, CodexRolloutList } from './list-codex-rollouts.js';
export { codexLineItem, readCodexItems } from './read-codex-items.js';
export type { CodexItemEntry } from './read-codex-items.js';
export { readCodexRolloutMeta } from './read-codex-meta.js';
export type { CodexRolloutMeta } from './read-codex-meta.js';
export { MAX_COMPRESSED_BYTES } from './read-rollout-bytes.js';
