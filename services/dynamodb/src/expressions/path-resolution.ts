import type { PathElement } from './paths.js';
import type { Placeholders } from './placeholders.js';
import { isReservedWord } from './reserved-words.js';
import type { SyntaxPath } from './syntax-tree.js';

/** What a checker wants to hear about while a path is resolved, element by element. */
export interface PathProblems {
  /** A bare name is a reserved word. */
  reserved(name: string): void;
  /** A #placeholder the request does not define. */
  undefinedName(placeholder: string): void;
}

export function reservedKeywordMessage(name: string): string {
  return `Attribute name is a reserved keyword; reserved keyword: ${name}`;
}

export function undefinedNameMessage(placeholder: string): string {
  return `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`;
}

export function undefinedValueMessage(placeholder: string): string {
  return `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`;
}

/** The document path with #placeholders substituted (an undefined one leaves its placeholder text). */
export function resolvePath(syntax: SyntaxPath, placeholders: Placeholders, problems: PathProblems): PathElement[] {
  const path: PathElement[] = [];
  for (const element of syntax.elements) {
    if (element.kind === 'index') {
      path.push(element.index);
    } else if (element.kind === 'identifier') {
      if (isReservedWord(element.name)) problems.reserved(element.name);
      path.push(element.name);
    } else {
      const name = placeholders.name(element.name);
      if (name === undefined) problems.undefinedName(element.name);
      path.push(name ?? element.name);
    }
  }
  return path;
}
