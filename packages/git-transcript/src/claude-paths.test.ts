import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeProjectDir,
  MAX_PROJECT_DIR_CHARS,
  resolveClaudeConfigFile,
  resolveClaudeHome,
} from './claude-paths.js';

describe('encodeProjectDir', () => {
  it('follows the examples of Claude Code’s documentation', () => {
    expect(encodeProjectDir('/Users/foo/code/myapp')).toBe('-Users-foo-code-myapp');
    expect(encodeProjectDir('/Users/foo/.config/app')).toBe('-Users-foo--config-app');
  });

  it('replaces underscores, spaces and non-ASCII characters, one dash each (docs/claude-code.md)', () => {
    expect(encodeProjectDir('/Users/zm_leng/x.com_cn')).toBe('-Users-zm-leng-x-com-cn');
    expect(encodeProjectDir('/0 personal/留学/x')).toBe('-0-personal----x');
    expect(encodeProjectDir('/home/ü ~/a')).toBe('-home-----a');
  });

  it('replaces per UTF-16 code unit: a character outside the BMP becomes two dashes', () => {
    expect(encodeProjectDir('/a/😀')).toBe('-a---');
  });

  it('keeps a name of exactly 200 characters as is', () => {
    const cwd = `/${'a'.repeat(MAX_PROJECT_DIR_CHARS - 1)}`;
    expect(encodeProjectDir(cwd)).toBe(`-${'a'.repeat(MAX_PROJECT_DIR_CHARS - 1)}`);
  });

  it('cuts a longer name to 200 characters and appends a hash of the full path', () => {
    const base = `/${'deep/'.repeat(50)}`;
    const one = encodeProjectDir(`${base}one`);
    const two = encodeProjectDir(`${base}two`);
    expect(one.slice(0, MAX_PROJECT_DIR_CHARS)).toBe(
      base.replace(/[^a-zA-Z0-9]/g, '-').slice(0, 200),
    );
    expect(one).toMatch(/^[-a-z]{200}-[0-9a-z]+$/);
    expect(one).not.toBe(two);
    expect(encodeProjectDir(`${base}one`)).toBe(one);
  });
});

describe('resolveClaudeHome', () => {
  it('uses CLAUDE_CONFIG_DIR when set', () => {
    expect(resolveClaudeHome({ CLAUDE_CONFIG_DIR: '/opt/claude', HOME: '/home/u' })).toBe(
      '/opt/claude',
    );
  });

  it('uses $HOME/.claude otherwise, ignoring an empty CLAUDE_CONFIG_DIR', () => {
    expect(resolveClaudeHome({ CLAUDE_CONFIG_DIR: '', HOME: '/home/u' })).toBe(
      join('/home/u', '.claude'),
    );
  });

  it('falls back to the OS home directory without HOME', () => {
    expect(resolveClaudeHome({})).toBe(join(homedir(), '.claude'));
    expect(resolveClaudeHome({ HOME: '' })).toBe(join(homedir(), '.claude'));
  });
});

describe('resolveClaudeConfigFile', () => {
  it('is .claude.json in CLAUDE_CONFIG_DIR when set, else beside ~/.claude in the home', () => {
    expect(resolveClaudeConfigFile({ CLAUDE_CONFIG_DIR: '/opt/claude', HOME: '/home/u' })).toBe(
      join('/opt/claude', '.claude.json'),
    );
    expect(resolveClaudeConfigFile({ CLAUDE_CONFIG_DIR: '', HOME: '/home/u' })).toBe(
      join('/home/u', '.claude.json'),
    );
    expect(resolveClaudeConfigFile({})).toBe(join(homedir(), '.claude.json'));
  });
});
