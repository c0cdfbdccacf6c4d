// `pnpm start` (after the build): import the Claude Code history of this machine into the default
// store and show what is there. With no history (a fresh machine, CI), import the example history
// shipped in apps/cli/examples instead, and say so.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.cjs');
const examples = join(import.meta.dirname, '..', 'examples', 'claude-home', 'projects');
const configured = process.env.CLAUDE_CONFIG_DIR;
const claudeHome = configured ? configured : join(process.env.HOME || homedir(), '.claude');
const projects = join(claudeHome, 'projects');

/** Whether `dir` holds at least one session transcript (`<project>/<uuid>.jsonl`). */
function hasTranscripts(dir) {
  let projectDirs;
  try {
    projectDirs = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  } catch {
    return false;
  }
  return projectDirs.some((project) => {
    try {
      return readdirSync(join(dir, project.name)).some(
        (name) => name.endsWith('.jsonl') && !name.startsWith('agent-'),
      );
    } catch {
      return false;
    }
  });
}

/**
 * Git keeps no modification times, so a checkout's example transcripts all look written today. A
 * real history's files were last written at their last record: give each example file that time,
 * so the import shows the sessions as idle or archived as they really are.
 */
function restoreModificationTimes(dir) {
  for (const project of readdirSync(dir, { withFileTypes: true })) {
    if (!project.isDirectory()) continue;
    for (const name of readdirSync(join(dir, project.name))) {
      if (!name.endsWith('.jsonl')) continue;
      const path = join(dir, project.name, name);
      const stamps = [...readFileSync(path, 'utf8').matchAll(/"timestamp":"([^"]+)"/g)];
      const last = stamps.at(-1)?.[1];
      if (last !== undefined && Number.isFinite(Date.parse(last)))
        utimesSync(path, new Date(last), new Date(last));
    }
  }
}

/** Run `sessions-db <args>` with the terminal attached; stop on failure. */
function show(title, args) {
  process.stdout.write(`\n$ sessions-db ${args.join(' ')}    # ${title}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(
      `sessions-db ${args.join(' ')} failed (exit ${result.status ?? result.signal})\n`,
    );
    process.exit(result.status ?? 1);
  }
}

/** Run `sessions-db <args> --json` and parse the one JSON document it prints (errors included). */
function query(args) {
  const result = spawnSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8' });
  return JSON.parse(result.stdout);
}

if (hasTranscripts(projects)) {
  show('your Claude Code history, into the default store', ['import']);
} else {
  process.stdout.write(
    `No Claude Code history found in ${projects}.\n` +
      'Importing the example history shipped in apps/cli/examples instead (see apps/cli/examples/README.md).\n',
  );
  restoreModificationTimes(examples);
  show('the example history, into the default store', ['import', '--from', examples]);
}

show('the 20 most recently active sessions', ['find', '--limit', '20']);

// A tree of the most recently active session that has children (a fork or clear origin).
const sessions = query(['find', '--all']);
if (!Array.isArray(sessions)) {
  process.stderr.write(`sessions-db find failed: ${JSON.stringify(sessions)}\n`);
  process.exit(1);
}
const parents = new Set(
  sessions.map((s) => s.parent_session_id).filter((id) => typeof id === 'string'),
);
const origin = sessions.find((s) => parents.has(s.stable_id));
if (origin === undefined) {
  process.stdout.write('\n(no session has children yet, so there is no tree to show)\n');
} else {
  show('a session and what was forked or cleared from it', ['tree', origin.stable_id]);
}
const where = query(['doctor']).store;
process.stdout.write(
  `\nThe store is ${where?.dir ?? '(unknown)'}. Next: \`sessions-db hook install\` records every new session.\n`,
);
