import type { SyntaxPathElement } from './syntax-tree.js';
import type { TokenStream } from './token-stream.js';

/** Words a grammar reserves for itself; they cannot start a path or name a function. */
export type GrammarKeywords = ReadonlySet<string>;

/** An attribute name or #placeholder, the first element of a path or one after a dot. */
export function parseIdentifier(stream: TokenStream, keywords: GrammarKeywords): SyntaxPathElement | undefined {
  const token = stream.current;
  if (token.kind === 'identifier' && !keywords.has(token.text.toUpperCase())) {
    stream.pos++;
    return { kind: 'identifier', name: token.text };
  }
  const placeholder = stream.take('name');
  return placeholder ? { kind: 'placeholder', name: placeholder.text } : undefined;
}

/** Appends `[n]` and `.name` steps to `elements` for as long as they follow. */
export function parsePathSteps(stream: TokenStream, keywords: GrammarKeywords, elements: SyntaxPathElement[]): void {
  for (;;) {
    const mark = stream.pos;
    if (stream.symbol('[')) {
      const index = stream.take('number');
      if (index && stream.symbol(']')) {
        elements.push({ kind: 'index', index: Number(index.text) });
        continue;
      }
    } else if (stream.symbol('.')) {
      const element = parseIdentifier(stream, keywords);
      if (element) {
        elements.push(element);
        continue;
      }
    }
    stream.pos = mark;
    return;
  }
}
