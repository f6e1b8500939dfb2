// Exact decimal arithmetic for money shown on the page: the panel's rates and charges are decimal
// strings, and a price must never pass through a float. Values are { units: BigInt, scale } with
// value = units / 10^scale.
//
// Kept in this one small module on purpose: a later version of the SDK computes charges itself
// (catalog.estimateCharge), and then only this file changes.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses "0.27819" (or "12", "-1.5") exactly; null for anything that is not a plain decimal. */
export function parseDecimal(text) {
  const match = DECIMAL.exec(String(text).trim());
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** Formats exactly, dropping trailing zeros but keeping at least `minDecimals` decimals. */
export function formatDecimal({ units, scale }, minDecimals = 2) {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  let whole = digits.slice(0, digits.length - scale);
  let fraction = digits.slice(digits.length - scale);
  while (fraction.length > minDecimals && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  fraction = fraction.padEnd(minDecimals, "0");
  return `${negative ? "-" : ""}${whole}${fraction ? "." + fraction : ""}`;
}

/** Both values brought to the same scale, as BigInts. */
function aligned(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale)];
}

/** -1, 0 or 1, exactly. */
export function compareDecimal(a, b) {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The charge of an order, exactly: rate (per 1000) × quantity / 1000, × runs for drip-feed.
 * Returns the exact decimal string, or null when an input is missing or not a whole number.
 */
export function estimateCharge(rate, quantity, runs = 1) {
  const perThousand = parseDecimal(rate);
  if (!perThousand || !Number.isSafeInteger(quantity) || !Number.isSafeInteger(runs)) return null;
  // Dividing by 1000 is exact: three more decimal places.
  const charge = { units: perThousand.units * BigInt(quantity) * BigInt(runs), scale: perThousand.scale + 3 };
  return formatDecimal(charge);
}

/** A key that sorts decimals of differing scales correctly with BigInt comparison. */
export function sortKey(text, scale = 12) {
  const value = parseDecimal(text);
  if (!value) return null;
  return value.units * 10n ** BigInt(Math.max(0, scale - value.scale)) / 10n ** BigInt(Math.max(0, value.scale - scale));
}
