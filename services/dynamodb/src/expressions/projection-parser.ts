import { parseIdentifier, parsePathSteps } from './path-syntax.js';
import type { SyntaxPath } from './syntax-tree.js';
import { TokenStream } from './token-stream.js';

/** Parser for ProjectionExpression: path {"," path}, path ::= name {"[" n "]" | "." name}. */

const NO_KEYWORDS: ReadonlySet<string> = new Set();

export function parseProjection(source: string): SyntaxPath[] | string {
  const stream = new TokenStream(source);
  const paths: SyntaxPath[] = [];
  for (;;) {
    const head = parseIdentifier(stream, NO_KEYWORDS);
    if (head === undefined) return stream.syntaxErrorMessage();
    const elements = [head];
    parsePathSteps(stream, NO_KEYWORDS, elements);
    paths.push({ kind: 'path', elements, parens: 0, redundantGroup: false });
    if (!stream.symbol(',')) break;
  }
  if (!stream.atEnd()) return stream.syntaxErrorMessage();
  return paths;
}
