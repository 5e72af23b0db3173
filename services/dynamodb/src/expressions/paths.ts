import { getAttribute, type AttributeMap, type AttributeValue } from '../values/attribute-value.js';

/**
 * Document paths: `a.b[2].c` is ['a', 'b', 2, 'c'] once placeholders are substituted. Names are
 * strings, list indexes numbers.
 */
export type PathElement = string | number;
export type DocumentPath = readonly PathElement[];

/** How AWS prints a path in messages: [a, b, [2], c]. */
export function formatPath(path: DocumentPath): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

/** The value at `path` in an item, or undefined when any step is missing or of the wrong kind. */
export function valueAtPath(item: AttributeMap, path: DocumentPath): AttributeValue | undefined {
  let value = getAttribute(item, path[0] as string);
  for (let i = 1; i < path.length && value !== undefined; i++) {
    const element = path[i];
    if (typeof element === 'number') value = value.L !== undefined ? value.L[element] : undefined;
    else value = value.M !== undefined ? getAttribute(value.M, element) : undefined;
  }
  return value;
}

/**
 * AWS's check that the paths of a projection or an update neither overlap (one is a prefix of, or
 * equal to, another) nor conflict (one uses a name where another uses an index). Paths are compared
 * in order, each with every earlier one; the first overlap wins, otherwise the last conflict found.
 */
export function pathClashMessage(paths: readonly DocumentPath[]): string | undefined {
  let conflict: string | undefined;
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const clash = compareForClash(paths[i], paths[j]);
      if (clash === 'overlap') {
        return `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${formatPath(paths[i])}, path two: ${formatPath(paths[j])}`;
      }
      if (clash === 'conflict') {
        conflict = `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${formatPath(paths[i])}, path two: ${formatPath(paths[j])}`;
      }
    }
  }
  return conflict;
}

function compareForClash(one: DocumentPath, two: DocumentPath): 'overlap' | 'conflict' | undefined {
  const length = Math.min(one.length, two.length);
  for (let i = 0; i < length; i++) {
    if (typeof one[i] !== typeof two[i]) return 'conflict';
    if (one[i] !== two[i]) return undefined;
  }
  return 'overlap';
}
