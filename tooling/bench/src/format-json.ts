/**
 * JSON text laid out the way Prettier lays it out (objects one key per line, short arrays of
 * primitives on one line, long ones filled or one item per line), so committed result files
 * pass `prettier --check` without a formatting step.
 */

const WIDTH = 100;

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function render(value: unknown, indent: string, lead: number): string {
  if (isPrimitive(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) {
      const items = value.map((v) => JSON.stringify(v) ?? 'null');
      const flat = `[${items.join(', ')}]`;
      if (lead + flat.length + 1 <= WIDTH) return flat;
      if (value.every((v) => typeof v === 'number')) {
        // Prettier fills number arrays: as many per line as fit
        const lines: string[] = [];
        let line = '';
        for (const item of items) {
          const next = line === '' ? item : `${line}, ${item}`;
          if (inner.length + next.length + 1 > WIDTH && line !== '') {
            lines.push(`${line},`);
            line = item;
          } else {
            line = next;
          }
        }
        lines.push(line);
        return `[\n${lines.map((l) => inner + l).join('\n')}\n${indent}]`;
      }
      return `[\n${items.map((i) => inner + i).join(',\n')}\n${indent}]`;
    }
    return `[\n${value.map((v) => inner + render(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, v]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + render(v, inner, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** `value` as Prettier-formatted JSON text with a final newline. */
export function formatJson(value: unknown): string {
  return `${render(value, '', 0)}\n`;
}
