// Scalars read from text (query parameters, headers, XML element content), shared by the decoders.

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** Plain decimal integers only: no exponent, hex, blanks or fraction, which Number() would accept. */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ || text.charCodeAt(0) === 43 /* + */ ? 1 : 0;
  if (i === n || n > 20) return undefined;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const v = Number(text);
  return v >= min && v <= max ? v : undefined;
}
