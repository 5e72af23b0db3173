/**
 * The lexer shared by the four expression languages. Keywords (AND, SET, …) are identifiers here;
 * each grammar decides which identifiers it treats as keywords.
 */
export type TokenKind =
  | 'identifier' // a, _b2, AND
  | 'name' // #n, an ExpressionAttributeNames placeholder
  | 'value' // :v, an ExpressionAttributeValues placeholder
  | 'number' // 12, only valid as a list index
  | 'symbol' // ( ) [ ] , . = <> < <= > >= + -
  | 'unknown' // any other character
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets in the expression, for "near:" in syntax errors. */
  start: number;
  end: number;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const SINGLE_SYMBOLS = new Set(['(', ')', '[', ']', ',', '.', '=', '+', '-']);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const length = source.length;
  let i = 0;
  while (i < length) {
    const code = source.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isIdentifierStart(code)) {
      kind = 'identifier';
      while (++i < length && isIdentifierPart(source.charCodeAt(i)));
    } else if (isDigit(code)) {
      kind = 'number';
      while (++i < length && isDigit(source.charCodeAt(i)));
    } else if ((code === 35 || code === 58) && i + 1 < length && isIdentifierPart(source.charCodeAt(i + 1))) {
      kind = code === 35 ? 'name' : 'value';
      while (++i < length && isIdentifierPart(source.charCodeAt(i)));
    } else if (code === 60 /* < */) {
      kind = 'symbol';
      const next = source.charCodeAt(i + 1);
      i += next === 61 || next === 62 ? 2 : 1;
    } else if (code === 62 /* > */) {
      kind = 'symbol';
      i += source.charCodeAt(i + 1) === 61 ? 2 : 1;
    } else if (SINGLE_SYMBOLS.has(source[i])) {
      kind = 'symbol';
      i++;
    } else {
      kind = 'unknown';
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < length ? 2 : 1;
    }
    tokens.push({ kind, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '', start: length, end: length });
  return tokens;
}
