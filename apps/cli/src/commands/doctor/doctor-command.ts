import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreHealth, StorePaths, StoreSource } from '@sessions-db/store';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec } from '../../command-spec.js';
import type { Paint } from '../../format/colors.js';
import { safeText } from '../../format/safe-text.js';
import { relTime } from '../../format/rel-time.js';
import { padEndTo } from '../../format/text-width.js';
import { collectHookInstall, installedTwiceWarning } from '../hook/status.js';
import { plural } from '../rebuild/rebuild-command.js';

/** Severity of one doctor check. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor report. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: CheckStatus;
  readonly message: string;
}

/** Everything `doctor` found. */
export interface DoctorReport {
  readonly ok: boolean;
  /** Set when a check failed (the `--json` failure convention): which checks. */
  readonly error?: { readonly code: 'CHECK_FAILED'; readonly message: string };
  readonly checks: readonly DoctorCheck[];
  readonly store: {
    readonly dir: string | null;
    readonly source: StoreSource | 'memory';
    readonly exists: boolean;
  };
  readonly health: StoreHealth | null;
  readonly claude: {
    readonly home: string;
    readonly projects_dir: string;
    readonly exists: boolean;
    readonly projects: number;
    readonly transcripts: number;
  };
}

/** Where a store location came from, in words. */
export const SOURCE_DESCRIPTIONS: Readonly<Record<StoreSource | 'memory', string>> = Object.freeze({
  arg: '--store',
  root: '--root (legacy workspace form)',
  env: 'SESSIONS_DB_ROOT',
  'env-compat': 'DRUUMEN_SESSIONS_DB_ROOT',
  'tickets-logs': 'tickets/_logs found above the working directory',
  'dru-code': '.dru-code found above the working directory',
  default: 'the per-user data directory',
  memory: 'in memory',
});

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function storeChecks(
  paths: StorePaths | null,
  exists: boolean,
  health: StoreHealth | null,
  now: number,
): DoctorCheck[] {
  const where = paths === null ? '(in memory)' : paths.dir;
  const source = SOURCE_DESCRIPTIONS[paths?.source ?? 'memory'];
  if (!exists || health === null) {
    return [
      {
        name: 'store',
        status: 'warn',
        message: `${where} (${source}) — not created yet; \`sessions-db import\` or the hook creates it`,
      },
    ];
  }
  const checks: DoctorCheck[] = [{ name: 'store', status: 'ok', message: `${where} (${source})` }];
  const fatal = health.logIssues.filter((issue) => !issue.tolerated);
  const tolerated = health.logIssues.length - fatal.length;
  const last =
    health.lastEventAt === null ? '' : `, last written ${relTime(health.lastEventAt, now)}`;
  checks.push({
    name: 'log',
    status: fatal.length > 0 ? 'fail' : tolerated > 0 ? 'warn' : 'ok',
    message:
      fatal.length > 0
        ? `${fatal.length} corrupt line(s) in the middle of the log (first at byte ${fatal[0]?.offset}: ${fatal[0]?.reason}); repair a copy, then \`sessions-db rebuild\``
        : `${health.events} event(s), ${size(health.logBytes)}${last}${tolerated > 0 ? `; ${tolerated} partial line(s) tolerated` : ''}`,
  });
  checks.push({
    name: 'index',
    status:
      health.indexFallback !== null || !health.indexExists || health.lagBytes > 0 ? 'warn' : 'ok',
    message:
      health.indexFallback !== null
        ? `${health.indexFallback}: commands read an in-memory fold of the log until it can be used`
        : !health.indexExists
          ? 'missing — it is rebuilt from the log on the next command'
          : health.lagBytes > 0
            ? `${size(health.lagBytes)} of the log not applied yet (caught up by the next write, or \`sessions-db rebuild\`)`
            : `up to date (schema ${health.schemaVersion}, ${health.sessions} session(s))`,
  });
  const legacy = health.legacyLock;
  checks.push({
    name: 'lock',
    status: legacy !== null && legacy.stale ? 'warn' : 'ok',
    message: health.writeLocked
      ? 'another process is writing right now'
      : legacy === null
        ? 'free'
        : legacy.stale
          ? `free; a stale lockfile of the original tool is left at ${legacy.path} (safe to delete)`
          : `free; the original tool holds ${legacy.path}`,
  });
  return checks;
}

/** Run every check. */
export async function collectDoctorReport(context: CommandContext): Promise<DoctorReport> {
  const { deps } = context;
  const now = deps.now();
  const paths = await deps.locateStore(context.location);
  let health: StoreHealth | null = null;
  let openError: string | null = null;
  let exists = true;
  if (paths !== null) {
    const { storeExists } = await import('@sessions-db/store');
    try {
      exists = storeExists(paths);
    } catch (error) {
      openError = error instanceof Error ? error.message : String(error);
    }
  }
  if (exists && openError === null) {
    try {
      health = (await context.openStore()).health();
    } catch (error) {
      openError = error instanceof Error ? error.message : String(error);
    }
  }
  const checks: DoctorCheck[] =
    openError === null
      ? storeChecks(paths, exists, health, now)
      : [{ name: 'store', status: 'fail', message: openError }];
  for (const ignored of paths?.ignored ?? [])
    checks.push({
      name: 'workspace',
      status: 'warn',
      message: `ignored the store in ${ignored.dir}: ${ignored.reason}`,
    });
  if (health?.indexRecovery != null)
    checks.push({
      name: 'index',
      status: 'warn',
      message: `was unreadable (${health.indexRecovery.reason}); moved aside to ${health.indexRecovery.movedTo} and rebuilt from the log`,
    });

  if (paths !== null && exists && openError === null) {
    const { archiveSummary } = await import('@sessions-db/store/content');
    const archive = archiveSummary(paths);
    if (archive.transcripts > 0)
      checks.push({
        name: 'archive',
        status: 'ok',
        message: `${plural(archive.transcripts, 'transcript')}, ${size(archive.diskBytes)} on disk for ${size(archive.originalBytes)} of transcripts${archive.deletedButArchived > 0 ? `; ${archive.deletedButArchived} deleted by the agent, kept only here (\`sessions-db restore\`)` : ''}`,
      });
  }

  const hook = await collectHookInstall(context);
  const files = hook.files;
  const installedIn = files.filter((f) => f.SessionStart.length > 0 || f.SessionEnd.length > 0);
  const plugins = hook.plugins.filter((plugin) => plugin.enabled);
  const broken = [...files, hook.codex].filter((f) => f.error !== null);
  const where = [
    ...installedIn.map((f) => `${f.path} (${f.scope})`),
    ...plugins.map((plugin) => `the ${plugin.id} plugin (${plugin.scope})`),
  ];
  checks.push({
    name: 'hook',
    status: hook.installed_twice ? 'warn' : hook.installed ? 'ok' : 'warn',
    message: hook.installed_twice
      ? `installed in ${where.join(', ')}; ${installedTwiceWarning(hook.plugins)}`
      : hook.installed
        ? `installed in ${where.join(', ')}`
        : 'not installed — new sessions are not recorded; run `sessions-db hook install`',
  });
  for (const plugin of hook.plugins.filter((p) => !p.enabled))
    checks.push({
      name: 'hook',
      status: 'warn',
      message: `the ${plugin.id} plugin is installed but not enabled (\`claude plugin enable ${plugin.id}\`)`,
    });
  const codexHooks = hook.codex.SessionStart.length > 0 || hook.codex.SessionEnd.length > 0;
  if (codexHooks || existsSync(dirname(hook.codex.path)))
    checks.push({
      name: 'codex hook',
      status: codexHooks ? 'ok' : 'warn',
      message: codexHooks
        ? `installed in ${hook.codex.path}`
        : 'Codex CLI is here but its sessions are recorded only by `import`; run `sessions-db hook install --agent codex`',
    });
  for (const file of broken)
    checks.push({ name: 'settings', status: 'warn', message: `${file.path}: ${file.error}` });

  const { listProjectTranscripts, listProjectDirs, projectsRoot, resolveClaudeHome } =
    await import('@sessions-db/git-transcript');
  const home = resolveClaudeHome(deps.env);
  const projectsDir = projectsRoot(home);
  const claudeExists = existsSync(projectsDir);
  const projects = claudeExists ? listProjectDirs(home).projectDirs.length : 0;
  const transcripts = claudeExists ? listProjectTranscripts(home).transcripts.length : 0;
  checks.push({
    name: 'transcripts',
    status: claudeExists ? 'ok' : 'warn',
    message: claudeExists
      ? `${projectsDir} (${projects} project(s), ${transcripts} transcript(s))`
      : `${projectsDir} not found (set CLAUDE_CONFIG_DIR if Claude Code keeps its files elsewhere)`,
  });

  const failed = checks.filter((check) => check.status === 'fail');
  return {
    ok: failed.length === 0,
    ...(failed.length === 0
      ? {}
      : {
          error: {
            code: 'CHECK_FAILED' as const,
            message: `failed: ${failed.map((check) => check.name).join(', ')}`,
          },
        }),
    checks,
    store: { dir: paths?.dir ?? null, source: paths?.source ?? 'memory', exists },
    health,
    claude: { home, projects_dir: projectsDir, exists: claudeExists, projects, transcripts },
  };
}

/** The doctor report as text: one line per check with ✓, ! or ✗. */
export function renderDoctor(report: DoctorReport, paint: Paint): string {
  const mark = { ok: paint.green('✓'), warn: paint.yellow('!'), fail: paint.red('✗') } as const;
  return report.checks
    .map((check) => `${mark[check.status]} ${padEndTo(check.name, 12)}${safeText(check.message)}`)
    .join('\n');
}

/** `sessions-db doctor`. */
export const doctorCommand: CommandSpec = {
  command: 'doctor',
  describe:
    'Check the store (location, log, index, lock), the hook and the Claude transcripts directory',
  builder: (yargs) =>
    yargs.example('$0 doctor', 'Exit 1 when something is broken, 0 otherwise (warnings included)'),
  async run(_args, context) {
    const report = await collectDoctorReport(context);
    return { json: report, text: renderDoctor(report, context.paint), exitCode: report.ok ? 0 : 1 };
  },
};
