// The DynamoDB core: values and expressions, without HTTP or storage. How an operation uses it:
//  - validate items, keys and other AttributeValues (validateAttributeValue/Map: AWS messages, numbers
//    made canonical in place), size them (itemSize, MAX_ITEM_SIZE, capacity units);
//  - check the request's parameters in AWS's order (checkExpressionParameters, checkExpected,
//    checkAttributeUpdates, checkConditionMap, checkAttributesToGet), then parseExpressions once;
//  - legacy parameters convert to the same forms (expectedCondition, filterCondition,
//    attributeUpdatesPlan, attributesToGetProjection; KeyConditions or keyConditionsFromExpression
//    then resolveKeyQuery);
//  - per item: evaluateCondition, project, applyUpdate (+ updatedPaths for ReturnValues).
// Message-returning checks give `string | undefined`; wrap with validationError to throw.

// Values: the AttributeValue model, numbers, validation, ordering, sizes.
export * from './values/attribute-value.js';
export * from './values/number.js';
export * from './values/validate.js';
export * from './values/compare.js';
export * from './values/size.js';
export * from './values/validation-error.js';

// Expressions: parsing and checking once per request, evaluation per item.
export type { PathElement, DocumentPath } from './expressions/paths.js';
export { formatPath, valueAtPath } from './expressions/paths.js';
export type { Condition, Operand, ParsedCondition, Comparator } from './expressions/condition.js';
export type { SetValue, UpdateAction, UpdatePlan } from './expressions/update-plan.js';
export type { ExpressionAttributeNames, ExpressionAttributeValues } from './expressions/placeholders.js';
export { parseExpressions, checkExpressionParameters } from './expressions/request.js';
export type { ExpressionParameters, ParsedExpressions } from './expressions/request.js';
export { evaluateCondition, evaluateOperand } from './expressions/evaluate.js';
export { project, type ParsedProjection } from './expressions/projection.js';
export { applyUpdate, updatedPaths } from './expressions/apply-update.js';
export * from './expressions/key-condition.js';
export * from './expressions/key-attributes.js';
export { isReservedWord } from './expressions/reserved-words.js';

// Legacy parameters, converted to the same forms.
export * from './expressions/legacy/comparison.js';
export * from './expressions/legacy/conditions.js';
export * from './expressions/legacy/expected.js';
export * from './expressions/legacy/attribute-updates.js';
export * from './expressions/legacy/attributes-to-get.js';
