export {
  DEFAULT_DEADLINE_MS,
  MAX_DEADLINE_MS,
  isHookDisabled,
  parseDeadlineMs,
  parseHookEnv,
} from './hook-env.js';
export type { HookEnv, HookEnvSource } from './hook-env.js';
export {
  DEFAULT_MAX_STDIN_BYTES,
  parseHookJson,
  readHookInput,
  readHookStdin,
} from './read-hook-stdin.js';
export type {
  NoInputReason,
  ReadHookInputOptions,
  ReadHookStdinOptions,
  StdinInput,
} from './read-hook-stdin.js';
export {
  DEFAULT_END_REASON,
  SESSION_START_SOURCES,
  normalizeSource,
  parseHookRequest,
} from './hook-payload.js';
export type { HookRequest, SessionStartSource } from './hook-payload.js';
export {
  DEFAULT_MAX_ANCESTORS,
  findClaudePid,
  parseProcStat,
  readParentPid,
} from './find-claude-pid.js';
export type { ClaudeProcess, FindClaudePidOptions } from './find-claude-pid.js';
export {
  appendDiagnostics,
  createRunReport,
  describeError,
  toDiagnosticsEntry,
} from './diagnostics-log.js';
export type { DiagnosticsEntry, HookOutcome, RunReport } from './diagnostics-log.js';
