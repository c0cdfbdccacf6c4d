import pc from 'picocolors';

/** A text style: returns its input wrapped in escape codes, or unchanged when colour is off. */
export type Style = (text: string) => string;

/** The styles the renderers use; every one is the identity when colour is off. */
export interface Paint {
  readonly enabled: boolean;
  readonly bold: Style;
  readonly dim: Style;
  readonly red: Style;
  readonly green: Style;
  readonly yellow: Style;
  readonly cyan: Style;
  readonly gray: Style;
}

/** Styles with colour on or off, never sniffing the environment (picocolors' explicit mode). */
export function createPaint(enabled: boolean): Paint {
  const colors = pc.createColors(enabled);
  return {
    enabled,
    bold: (text) => colors.bold(text),
    dim: (text) => colors.dim(text),
    red: (text) => colors.red(text),
    green: (text) => colors.green(text),
    yellow: (text) => colors.yellow(text),
    cyan: (text) => colors.cyan(text),
    gray: (text) => colors.gray(text),
  };
}

/** Inputs of {@link shouldUseColor}. */
export interface ColorDecisionInput {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `false` when `--no-color` was given. */
  readonly flag: boolean;
}

/**
 * Colour only on a terminal, never when `NO_COLOR` is set to a non-empty value (no-color.org),
 * never with `--no-color` (docs/cli.md).
 */
export function shouldUseColor(input: ColorDecisionInput): boolean {
  const noColor = input.env['NO_COLOR'];
  return input.isTTY && input.flag && !(typeof noColor === 'string' && noColor !== '');
}
