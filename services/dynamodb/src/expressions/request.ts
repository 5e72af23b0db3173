import { validationError } from '../values/validation-error.js';
import { checkCondition } from './condition-check.js';
import type { ParsedCondition } from './condition.js';
import { parseCondition } from './condition-parser.js';
import { checkPlaceholderMaps, Placeholders, type ExpressionAttributeNames, type ExpressionAttributeValues } from './placeholders.js';
import { checkProjection, type ParsedProjection } from './projection.js';
import { parseProjection } from './projection-parser.js';
import { checkUpdate } from './update-check.js';
import { parseUpdate } from './update-parser.js';
import type { UpdatePlan } from './update-plan.js';

/** The expression parameters a request may carry (null counts as absent, as on the wire). */
export interface ExpressionParameters {
  UpdateExpression?: string | null;
  ConditionExpression?: string | null;
  KeyConditionExpression?: string | null;
  FilterExpression?: string | null;
  ProjectionExpression?: string | null;
  ExpressionAttributeNames?: ExpressionAttributeNames | null;
  ExpressionAttributeValues?: ExpressionAttributeValues | null;
}

/** A request's expressions, parsed and checked once, ready to evaluate per item. */
export interface ParsedExpressions {
  update?: UpdatePlan;
  condition?: ParsedCondition;
  keyCondition?: ParsedCondition;
  filter?: ParsedCondition;
  projection?: ParsedProjection;
}

type ExpressionName = 'UpdateExpression' | 'ConditionExpression' | 'KeyConditionExpression' | 'FilterExpression' | 'ProjectionExpression';

/**
 * Parses and checks every expression of a request the way AWS does, in its order: the placeholder
 * maps, then UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression,
 * ProjectionExpression (each error prefixed "Invalid <name>: "), then placeholders no expression used.
 * Throws the ValidationException for the first problem.
 */
export function parseExpressions(request: ExpressionParameters): ParsedExpressions {
  const names = request.ExpressionAttributeNames ?? undefined;
  const values = request.ExpressionAttributeValues ?? undefined;
  const mapProblem = checkPlaceholderMaps(names, values);
  if (mapProblem !== undefined) throw validationError(mapProblem);
  const placeholders = new Placeholders(names, values);
  const parsed: ParsedExpressions = {};

  const update = expressionText(request, 'UpdateExpression');
  if (update !== undefined) parsed.update = orThrow('UpdateExpression', parseAndCheck(update, parseUpdate, (tree) => checkUpdate(tree, placeholders)));
  const condition = expressionText(request, 'ConditionExpression');
  if (condition !== undefined) parsed.condition = orThrow('ConditionExpression', parseAndCheck(condition, parseCondition, (tree) => checkCondition(tree, placeholders)));
  const keyCondition = expressionText(request, 'KeyConditionExpression');
  if (keyCondition !== undefined) {
    parsed.keyCondition = orThrow('KeyConditionExpression', parseAndCheck(keyCondition, parseCondition, (tree) => checkCondition(tree, placeholders)));
  }
  const filter = expressionText(request, 'FilterExpression');
  if (filter !== undefined) parsed.filter = orThrow('FilterExpression', parseAndCheck(filter, parseCondition, (tree) => checkCondition(tree, placeholders)));
  const projection = expressionText(request, 'ProjectionExpression');
  if (projection !== undefined) {
    parsed.projection = orThrow('ProjectionExpression', parseAndCheck(projection, parseProjection, (paths) => checkProjection(paths, placeholders)));
  }

  const unused = placeholders.unusedMessage();
  if (unused !== undefined) throw validationError(unused);
  return parsed;
}

function expressionText(request: ExpressionParameters, name: ExpressionName): string | undefined {
  return request[name] ?? undefined;
}

function parseAndCheck<T, R>(text: string, parse: (text: string) => T | string, check: (tree: T) => R | string): R | string {
  if (text === '') return 'The expression can not be empty;';
  const tree = parse(text);
  return typeof tree === 'string' ? tree : check(tree);
}

function orThrow<R>(name: ExpressionName, result: R | string): R {
  if (typeof result === 'string') throw validationError(`Invalid ${name}: ${result}`);
  return result;
}

/**
 * AWS's rules on mixing the two generations of parameters: expression parameters (in the order given,
 * which is the order AWS lists them) exclude the legacy ones, and the placeholder maps need an
 * expression. Query's KeyConditions may go with expressions when there is no KeyConditionExpression.
 * Returns the message, if any.
 */
export function checkExpressionParameters(
  request: Record<string, unknown>,
  expressionParameters: readonly string[],
  legacyParameters: readonly string[],
): string | undefined {
  const used = (name: string) => request[name] != null;
  const expressions = expressionParameters.filter(used);
  if (expressions.length > 0) {
    const keyConditionsAllowed = used('KeyConditions') && !used('KeyConditionExpression');
    const legacy = legacyParameters.filter((name) => used(name) && !(keyConditionsAllowed && name === 'KeyConditions'));
    if (legacy.length > 0) {
      return (
        'Can not use both expression and non-expression parameters in the same request: ' +
        `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`
      );
    }
  }
  if (used('ExpressionAttributeNames') && expressions.length === 0) return 'ExpressionAttributeNames can only be specified when using expressions';
  const valueExpressions = expressionParameters.filter((name) => name !== 'ProjectionExpression');
  if (valueExpressions.length > 0 && used('ExpressionAttributeValues') && !valueExpressions.some(used)) {
    return `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`;
  }
  return undefined;
}
