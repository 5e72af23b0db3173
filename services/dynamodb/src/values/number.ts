import { Decimal } from 'decimal.js';

/**
 * DynamoDB numbers: decimal strings of up to 38 significant digits, magnitude 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (or zero). Every number Stratus stores or compares is in
 * canonical form: plain notation, no exponent, no leading zeros, no trailing fraction zeros, no sign on
 * zero ("1.50e1" -> "15", "-0.0" -> "0"), which is also how DynamoDB returns numbers. Canonical strings
 * compare for equality as strings, and for order with compareNumbers, without any float conversion.
 */

export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

export type NumberCheck = { ok: true; value: string } | { ok: false; message: string };

export const NUMBER_MESSAGES = {
  empty: 'The parameter cannot be converted to a numeric value',
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  precision: 'Attempting to store more than 38 significant digits in a Number',
} as const;

const CODE_0 = 48;
const CODE_9 = 57;

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_9;
}

/**
 * The canonical form of a number as a client wrote it (Java BigDecimal syntax: optional sign, digits
 * with an optional point, optional exponent), or the ValidationException message AWS gives for it.
 */
export function canonicalNumber(text: unknown): NumberCheck {
  if (typeof text !== 'string' || text === '') return { ok: false, message: NUMBER_MESSAGES.empty };
  const invalid: NumberCheck = { ok: false, message: `${NUMBER_MESSAGES.empty}: ${text}` };
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  const intStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < length && text.charCodeAt(i) === 46 /* . */) {
    fracStart = ++i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return invalid;
  let exponent = 0;
  if (i < length) {
    const e = text.charCodeAt(i);
    if (e !== 101 && e !== 69) return invalid;
    i++;
    let expNegative = false;
    const sign = text.charCodeAt(i);
    if (sign === 45 || sign === 43) {
      expNegative = sign === 45;
      i++;
    }
    const expStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart || i !== length) return invalid;
    // Exponents beyond any valid range only need to stay beyond it.
    exponent = Math.min(Number(text.slice(expStart, i)), 1e9) * (expNegative ? -1 : 1);
  }
  const digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === CODE_0) lead++;
  if (lead === digits.length) return { ok: true, value: '0' };
  let trail = digits.length;
  while (digits.charCodeAt(trail - 1) === CODE_0) trail--;
  const significant = digits.slice(lead, trail);
  // Exponent of the leading significant digit in scientific notation.
  const leadExponent = intEnd - intStart - lead - 1 + exponent;
  if (leadExponent > MAX_EXPONENT) return { ok: false, message: NUMBER_MESSAGES.overflow };
  if (leadExponent < MIN_EXPONENT) return { ok: false, message: NUMBER_MESSAGES.underflow };
  if (significant.length > MAX_SIGNIFICANT_DIGITS) return { ok: false, message: NUMBER_MESSAGES.precision };
  return { ok: true, value: formatPlain(negative, significant, leadExponent) };
}

/** Plain notation of ±0.d1d2d3… × 10^(leadExponent+1). */
function formatPlain(negative: boolean, significant: string, leadExponent: number): string {
  let body: string;
  if (leadExponent < 0) {
    body = '0.' + '0'.repeat(-leadExponent - 1) + significant;
  } else if (significant.length <= leadExponent + 1) {
    body = significant + '0'.repeat(leadExponent + 1 - significant.length);
  } else {
    body = significant.slice(0, leadExponent + 1) + '.' + significant.slice(leadExponent + 1);
  }
  return negative ? '-' + body : body;
}

/** Length of the integer part of a canonical, unsigned number ("0.5" -> 1, "120" -> 3). */
function integerLength(text: string, start: number): number {
  const point = text.indexOf('.', start);
  return (point === -1 ? text.length : point) - start;
}

/** Orders two canonical numbers: negative, zero or positive like a comparator. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  const aNegative = a.charCodeAt(0) === 45;
  const bNegative = b.charCodeAt(0) === 45;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  const start = aNegative ? 1 : 0;
  const lengthA = integerLength(a, start);
  const lengthB = integerLength(b, start);
  let order: number;
  if (lengthA !== lengthB) {
    // Canonical forms have no leading zeros, so a longer integer part is a larger magnitude.
    order = lengthA < lengthB ? -1 : 1;
  } else {
    // Same integer length: the digit strings (points aligned) compare lexicographically.
    order = a < b ? -1 : 1;
  }
  return aNegative ? -order : order;
}

// Exact arithmetic: operands have at most 38 digits within 1E-130..1E126, so 300 digits never round.
const Exact = Decimal.clone({ precision: 300, toExpNeg: -300, toExpPos: 300 });

/** a + b, canonical; a message (overflow, underflow, precision) when the result is no DynamoDB number. */
export function addNumbers(a: string, b: string): NumberCheck {
  return canonicalNumber(new Exact(a).plus(b).toFixed());
}

/** a - b, canonical; a message when the result is no DynamoDB number. */
export function subtractNumbers(a: string, b: string): NumberCheck {
  return canonicalNumber(new Exact(a).minus(b).toFixed());
}

/** Sign, significant digits and leading-digit exponent of a canonical non-zero number. */
function decompose(text: string): { negative: boolean; digits: string; leadExponent: number } {
  const negative = text.charCodeAt(0) === 45;
  const unsigned = negative ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const integer = point === -1 ? unsigned : unsigned.slice(0, point);
  const all = point === -1 ? unsigned : integer + unsigned.slice(point + 1);
  let lead = 0;
  while (all.charCodeAt(lead) === CODE_0) lead++;
  let end = all.length;
  while (all.charCodeAt(end - 1) === CODE_0) end--;
  return { negative, digits: all.slice(lead, end), leadExponent: integer.length - lead - 1 };
}

/**
 * A string whose plain (code unit) order is the numeric order of canonical numbers, for stores that
 * keep keys sorted as strings: "0" + inverted exponent + 9-complement digits + "~" for negatives,
 * "1" for zero, "2" + exponent + digits for positives (exponents offset to 000..255).
 */
export function numberSortKey(text: string): string {
  if (text === '0') return '1';
  const { negative, digits, leadExponent } = decompose(text);
  const exponent = leadExponent - MIN_EXPONENT;
  if (!negative) return '2' + String(exponent).padStart(3, '0') + digits;
  let complement = '';
  for (let i = 0; i < digits.length; i++) complement += String(57 - digits.charCodeAt(i));
  return '0' + String(MAX_EXPONENT - MIN_EXPONENT - exponent).padStart(3, '0') + complement + '~';
}

/**
 * Bytes a canonical number takes in DynamoDB's item size: one byte of exponent, one per pair of
 * significant digits (pairs aligned on the decimal point), one more for negatives; zero takes one.
 */
export function numberSize(text: string): number {
  if (text === '0') return 1;
  const { negative, digits, leadExponent } = decompose(text);
  const pairs = Math.ceil(digits.length / 2) + (digits.length % 2 === 0 && leadExponent % 2 === 0 ? 1 : 0);
  return 1 + pairs + (negative ? 1 : 0);
}
