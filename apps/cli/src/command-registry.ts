import { aliasCommand } from './commands/alias/alias-command.js';
import { browseCommand } from './commands/browse/browse-command.js';
import { closeCommand } from './commands/close/close-command.js';
import { completionCommand } from './commands/completion/completion-command.js';
import { doctorCommand } from './commands/doctor/doctor-command.js';
import { exportCommand } from './commands/export/export-command.js';
import { findCommand } from './commands/find/find-command.js';
import { hookCommand } from './commands/hook/hook-command.js';
import { importCommand } from './commands/import/import-command.js';
import { initCommand } from './commands/init/init-command.js';
import { mcpCommand } from './commands/mcp/mcp-command.js';
import { linkParentCommand } from './commands/link-parent/link-parent-command.js';
import { linkCommand } from './commands/link/link-command.js';
import { rebuildCommand } from './commands/rebuild/rebuild-command.js';
import { restoreCommand } from './commands/restore/restore-command.js';
import { searchCommand } from './commands/search/search-command.js';
import { reopenCommand } from './commands/reopen/reopen-command.js';
import { resumeCommand } from './commands/resume/resume-command.js';
import { showCommand } from './commands/show/show-command.js';
import { sweepCommand } from './commands/sweep/sweep-command.js';
import { treeCommand } from './commands/tree/tree-command.js';
import { usageCommand } from './commands/usage/usage-command.js';
import type { CommandSpec } from './command-spec.js';

/** Every command of `sessions-db`, in the order the root help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  findCommand,
  searchCommand,
  showCommand,
  treeCommand,
  aliasCommand,
  linkCommand,
  linkParentCommand,
  closeCommand,
  reopenCommand,
  resumeCommand,
  usageCommand,
  browseCommand,
  initCommand,
  importCommand,
  exportCommand,
  restoreCommand,
  rebuildCommand,
  sweepCommand,
  doctorCommand,
  hookCommand,
  mcpCommand,
  completionCommand,
];
