import { setAttribute, type AttributeMap, type AttributeValue } from '../values/attribute-value.js';
import { pathClashMessage, valueAtPath, type DocumentPath, type PathElement } from './paths.js';
import { reservedKeywordMessage, resolvePath, undefinedNameMessage } from './path-resolution.js';
import type { Placeholders } from './placeholders.js';
import type { SyntaxPath } from './syntax-tree.js';

/** A checked ProjectionExpression (or AttributesToGet): the paths to return. */
export interface ParsedProjection {
  paths: DocumentPath[];
  /** First element of every path longer than one element ("Key attributes must be scalars"). */
  nestedPathHeads: ReadonlySet<string>;
}

/** Checks parsed projection paths: reserved words, then undefined names, then overlaps and conflicts. */
export function checkProjection(syntax: SyntaxPath[], placeholders: Placeholders): ParsedProjection | string {
  let reserved: string | undefined;
  let undefinedName: string | undefined;
  const problems = {
    reserved: (name: string) => (reserved ??= reservedKeywordMessage(name)),
    undefinedName: (placeholder: string) => (undefinedName ??= undefinedNameMessage(placeholder)),
  };
  const paths = syntax.map((path) => resolvePath(path, placeholders, problems));
  const message = reserved ?? undefinedName ?? pathClashMessage(paths);
  if (message !== undefined) return message;
  return { paths, nestedPathHeads: nestedHeads(paths) };
}

export function nestedHeads(paths: readonly DocumentPath[]): Set<string> {
  const heads = new Set<string>();
  for (const path of paths) if (path.length > 1) heads.add(path[0] as string);
  return heads;
}

/**
 * The parts of an item that `paths` select, nested as in the item. List elements keep their order and
 * close up (`a[3], a[1]` of a five-element list gives a two-element list); missing paths are skipped.
 * Selected values are shared with the item, not copied.
 */
export function project(item: AttributeMap, paths: readonly DocumentPath[]): AttributeMap {
  const result: AttributeMap = {};
  let sparseLists: AttributeValue[][] | undefined;
  for (const path of paths) {
    const value = valueAtPath(item, path);
    if (value === undefined) continue;
    if (path.length === 1) {
      setAttribute(result, path[0] as string, value);
      continue;
    }
    // Walk down the result, creating the containers the item has along the path.
    let container: AttributeValue = { M: result };
    for (let i = 0; i < path.length; i++) {
      const element: PathElement = path[i];
      const last = i === path.length - 1;
      if (typeof element === 'number') {
        if (container.L === undefined) {
          container.L = [];
          (sparseLists ??= []).push(container.L);
        }
        if (last) container.L[element] = value;
        else container = container.L[element] ??= {};
      } else {
        container.M ??= {};
        const map = container.M;
        if (last) setAttribute(map, element, value);
        else {
          if (!Object.prototype.hasOwnProperty.call(map, element)) setAttribute(map, element, {});
          container = map[element];
        }
      }
    }
  }
  if (sparseLists !== undefined) for (const list of sparseLists) closeUp(list);
  return result;
}

/** Removes the holes of a sparse array in place, keeping the order of what remains. */
function closeUp(list: AttributeValue[]): void {
  const dense = list.filter(() => true);
  for (let i = 0; i < dense.length; i++) list[i] = dense[i];
  list.length = dense.length;
}
