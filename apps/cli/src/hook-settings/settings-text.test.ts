import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS_FORMAT,
  detectIndent,
  formatSettings,
  parseSettingsText,
} from './settings-text.js';

describe('settings text', () => {
  it('keeps the indentation, line endings and final newline of the file', () => {
    for (const text of [
      '{\n    "a": 1\n}\n',
      '{\n\t"a": [\n\t\t1\n\t]\n}',
      '{\r\n  "a": 1\r\n}\r\n',
      '{"a":1}',
    ]) {
      const parsed = parseSettingsText(text);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(formatSettings(parsed.value, parsed.format)).toBe(text);
    }
  });

  it('detects the indent unit', () => {
    expect(detectIndent('{\n    "a": {\n        "b": 1\n    }\n}')).toBe('    ');
    expect(detectIndent('{"a":1}')).toBe('');
  });

  it('treats an empty file as {} and refuses comments or broken JSON', () => {
    expect(parseSettingsText('')).toEqual({ ok: true, value: {}, format: DEFAULT_SETTINGS_FORMAT });
    expect(parseSettingsText('{\n  // my settings\n  "a": 1\n}').ok).toBe(false);
    expect(parseSettingsText('{"a": 1,}').ok).toBe(false);
  });
});
