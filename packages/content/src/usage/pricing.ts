import type { TokenCounts } from './extract-usage.js';

/** US dollars per million tokens of each kind, for one model. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

/** A price table: model id (without its `-YYYYMMDD` date suffix) to price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Where {@link BUILTIN_PRICES} come from and when they were taken. */
export const BUILTIN_PRICES_SOURCE =
  "Anthropic's published API pricing (https://docs.anthropic.com/en/docs/about-claude/pricing), " +
  'as of 2025-11-24; not re-checked since. Override with a user price file.';

const price = (
  input: number,
  output: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
  cacheRead: number,
): ModelPrice => ({ input, output, cacheWrite5m, cacheWrite1h, cacheRead });

/**
 * The prices shipped with the package (see {@link BUILTIN_PRICES_SOURCE}). A model absent from
 * the table has no price: its cost is unknown, never guessed.
 */
export const BUILTIN_PRICES: PriceTable = {
  'claude-opus-4-5': price(5, 25, 6.25, 10, 0.5),
  'claude-opus-4-1': price(15, 75, 18.75, 30, 1.5),
  'claude-opus-4': price(15, 75, 18.75, 30, 1.5),
  'claude-sonnet-4-5': price(3, 15, 3.75, 6, 0.3),
  'claude-sonnet-4': price(3, 15, 3.75, 6, 0.3),
  'claude-3-7-sonnet': price(3, 15, 3.75, 6, 0.3),
  'claude-haiku-4-5': price(1, 5, 1.25, 2, 0.1),
  'claude-3-5-haiku': price(0.8, 4, 1, 1.6, 0.08),
};

const DATE_SUFFIX = /-\d{8}$/;

/**
 * The price of a model: its exact id in `table`, else its id without a `-YYYYMMDD` date suffix.
 * Anything else (another version, a prefix, '') is `undefined`: unknown. Pure.
 */
export function priceOf(model: string, table: PriceTable = BUILTIN_PRICES): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const undated = model.replace(DATE_SUFFIX, '');
  return undated !== model && Object.hasOwn(table, undated) ? table[undated] : undefined;
}

/** Cost in US dollars of `tokens` at `modelPrice`. Pure. */
export function costOf(tokens: TokenCounts, modelPrice: ModelPrice): number {
  return (
    (tokens.input * modelPrice.input +
      tokens.output * modelPrice.output +
      tokens.cacheWrite5m * modelPrice.cacheWrite5m +
      tokens.cacheWrite1h * modelPrice.cacheWrite1h +
      tokens.cacheRead * modelPrice.cacheRead) /
    1_000_000
  );
}

/** A user price file that is not `{ "<model>": { input, output, cacheWrite5m, cacheWrite1h, cacheRead } }`. */
export class PriceFileError extends Error {
  override readonly name = 'PriceFileError';
}

const KINDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;

/**
 * Validates a parsed user price file and lays it over `base`: each model it names replaces the
 * base price wholesale. Throws {@link PriceFileError} naming the first bad entry. Pure.
 */
export function mergePriceFile(parsed: unknown, base: PriceTable = BUILTIN_PRICES): PriceTable {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PriceFileError('the price file must be a JSON object of model ids to prices');
  }
  const merged: Record<string, ModelPrice> = { ...base };
  for (const [model, entry] of Object.entries(parsed)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new PriceFileError(`price of ${JSON.stringify(model)} must be an object`);
    }
    const fields = entry as Record<string, unknown>;
    for (const kind of KINDS) {
      const v = fields[kind];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new PriceFileError(
          `price of ${JSON.stringify(model)}: ${kind} must be a non-negative number of dollars per million tokens`,
        );
      }
    }
    merged[model] = price(
      fields.input as number,
      fields.output as number,
      fields.cacheWrite5m as number,
      fields.cacheWrite1h as number,
      fields.cacheRead as number,
    );
  }
  return merged;
}

/** Tokens of one model with their cost. */
export interface PricedUsage {
  readonly model: string;
  readonly tokens: TokenCounts;
  /** US dollars, or `null` when the model has no price: cost unknown. */
  readonly cost: number | null;
}

/**
 * Prices token totals per model. The sum is `null` ("cost unknown") as soon as one model with
 * tokens has no price: a partial sum would understate the cost. Pure.
 */
export function priceUsage(
  totals: readonly { readonly model: string; readonly tokens: TokenCounts }[],
  table: PriceTable = BUILTIN_PRICES,
): { readonly models: PricedUsage[]; readonly cost: number | null } {
  let cost: number | null = 0;
  const models = totals.map(({ model, tokens }) => {
    const modelPrice = priceOf(model, table);
    const modelCost = modelPrice === undefined ? null : costOf(tokens, modelPrice);
    cost = cost === null || modelCost === null ? null : cost + modelCost;
    return { model, tokens, cost: modelCost };
  });
  return { models, cost };
}
