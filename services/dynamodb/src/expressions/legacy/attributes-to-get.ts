import { firstDuplicate } from '../../values/validate.js';
import type { ParsedProjection } from '../projection.js';

/** AWS's check of the legacy AttributesToGet list; returns the message, if any. */
export function checkAttributesToGet(names: readonly string[] | undefined): string | undefined {
  if (names == null) return undefined;
  const duplicate = firstDuplicate(names);
  return duplicate === undefined ? undefined : `One or more parameter values were invalid: Duplicate value in attribute name: ${duplicate}`;
}

/** AttributesToGet as a projection of top-level attributes. */
export function attributesToGetProjection(names: readonly string[]): ParsedProjection {
  return { paths: names.map((name) => [name]), nestedPathHeads: new Set() };
}
