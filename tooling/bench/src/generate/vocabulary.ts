/**
 * The made-up world generated sessions live in: repositories and their worktrees, branches,
 * prompts, tasks, projects and aliases. Paths are fake and never touched on disk.
 */
import type { Prng } from './prng.js';

/** One working directory sessions start in (a repository checkout or one of its worktrees). */
export interface Workplace {
  readonly cwd: string;
  /** The main checkout's `.git` directory (shared by its worktrees). */
  readonly gitCommonDir: string;
  /** `git worktree` name, or null for the main checkout. */
  readonly worktreeName: string | null;
  /** Branch checked out in this directory by default. */
  readonly branch: string;
}

const HOME = '/home/dev';

const REPOS: readonly string[] = [
  'api',
  'web',
  'mobile',
  'infra',
  'billing',
  'auth-service',
  'design-system',
  'data-pipeline',
  'docs',
  'cli',
  'search',
  'notifications',
  'analytics',
  'payments',
  'admin',
  'sdk-js',
  'sdk-python',
  'ml-platform',
  'gateway',
  'dotfiles',
];

const TOPICS: readonly string[] = [
  'login',
  'upload',
  'pagination',
  'retry',
  'cache',
  'billing-export',
  'rate-limit',
  'dark-mode',
  'search-index',
  'webhooks',
  'migrations',
  'flaky-tests',
  'onboarding',
  'metrics',
  'i18n',
];

/** About 50 working directories: 20 repositories, several with worktrees. */
export function createWorkplaces(): Workplace[] {
  const places: Workplace[] = [];
  REPOS.forEach((repo, i) => {
    const root = `${HOME}/src/${repo}`;
    const gitCommonDir = `${root}/.git`;
    places.push({ cwd: root, gitCommonDir, worktreeName: null, branch: 'main' });
    const worktrees = i % 3 === 0 ? 3 : i % 3 === 1 ? 1 : 0;
    for (let w = 0; w < worktrees; w += 1) {
      const topic = TOPICS[(i * 3 + w) % TOPICS.length] ?? 'work';
      const name = `${repo}-${topic}`;
      places.push({
        cwd: `${HOME}/wt/${name}`,
        gitCommonDir,
        worktreeName: name,
        branch: `feat/${topic}`,
      });
    }
    if (i % 2 === 0)
      places.push({
        cwd: `${root}/packages/core`,
        gitCommonDir,
        worktreeName: null,
        branch: 'main',
      });
  });
  return places;
}

/** A branch for a session in `place`: mostly its own, sometimes a topic branch. */
export function pickBranch(prng: Prng, place: Workplace): string {
  if (prng.chance(0.55)) return place.branch;
  const kind = prng.pick(['feat', 'fix', 'chore', 'refactor'] as const);
  return `${kind}/${prng.pick(TOPICS)}-${prng.range(1, 400)}`;
}

const VERBS: readonly string[] = [
  'fix',
  'add',
  'refactor',
  'investigate',
  'write tests for',
  'speed up',
  'document',
  'clean up',
  'review',
  'migrate',
];

const OBJECTS: readonly string[] = [
  'the flaky upload test',
  'pagination in the sessions list',
  'the retry logic of the webhook sender',
  'the login redirect loop',
  'the billing export job',
  'the rate limiter middleware',
  'dark mode in the settings page',
  'the search index rebuild',
  'the CI cache keys',
  'the database migration for invoices',
  'error handling in the CLI parser',
  'the onboarding email templates',
  'memory usage of the import worker',
  'the i18n message catalog',
  'the metrics dashboard queries',
];

const CONTEXTS: readonly string[] = [
  '',
  ' — it fails about once in ten runs on CI',
  ', see the stack trace below',
  ' before the release on Friday',
  '; keep the public API unchanged',
  ' and update the changelog',
  ', the customer reported it twice this week',
  ' without adding new dependencies',
];

/** Short prompts many people type; they collide on purpose (fingerprint ties). */
const GENERIC_PROMPTS: readonly string[] = ['continue', 'go on', 'yes', 'run the tests', 'fix it'];

/** A first prompt as a person would type it (sometimes a generic one-liner). */
export function pickPrompt(prng: Prng): string {
  if (prng.chance(0.06)) return prng.pick(GENERIC_PROMPTS);
  const verb = prng.pick(VERBS);
  const text = `${verb} ${prng.pick(OBJECTS)}${prng.pick(CONTEXTS)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An AI title like Claude Code generates (a few words). */
export function pickAiTitle(prng: Prng): string {
  const verb = prng.pick(['Fix', 'Add', 'Refactor', 'Investigate', 'Speed up', 'Document']);
  return `${verb} ${prng.pick(TOPICS).replace(/-/g, ' ')} ${prng.pick(['handling', 'tests', 'flow', 'job', 'config'])}`;
}

/** A task key like `PROJ-123`. */
export function pickTask(prng: Prng): string {
  return `${prng.pick(['PROJ', 'API', 'WEB', 'OPS', 'BILL'])}-${prng.range(1, 2400)}`;
}

/** A project name. */
export function pickProject(prng: Prng): string {
  return prng.pick(['q3-launch', 'platform-v2', 'cost-cutting', 'security-audit', 'mobile-beta']);
}

/** An alias a person gives a session. */
export function pickAlias(prng: Prng, serial: number): string {
  return `${prng.pick(TOPICS)}-${serial}`;
}

/** A close outcome other than `open`, weighted like real use. */
export function pickOutcome(prng: Prng): string {
  const r = prng.next();
  if (r < 0.55) return 'done';
  if (r < 0.7) return 'merged';
  if (r < 0.82) return 'abandoned';
  if (r < 0.92) return 'superseded';
  return 'blocked';
}

/** A SessionEnd reason, weighted like real use. */
export function pickEndReason(prng: Prng): string {
  const r = prng.next();
  if (r < 0.5) return 'prompt_input_exit';
  if (r < 0.75) return 'other';
  if (r < 0.9) return 'clear';
  if (r < 0.97) return 'resume';
  return 'logout';
}

/** A Claude model name. */
export function pickModel(prng: Prng): string {
  return prng.pick(['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5']);
}
