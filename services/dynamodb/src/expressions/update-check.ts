import { typeOf, type AttributeType, type AttributeValue } from '../values/attribute-value.js';
import { pathClashMessage, type DocumentPath } from './paths.js';
import { reservedKeywordMessage, resolvePath, undefinedNameMessage, undefinedValueMessage } from './path-resolution.js';
import type { Placeholders } from './placeholders.js';
import type { SyntaxOperand, SyntaxPath, SyntaxSetValue, SyntaxUpdateClause, SyntaxValueRef, UpdateClause } from './syntax-tree.js';
import type { SetValue, UpdateAction, UpdatePlan } from './update-plan.js';

/**
 * The semantic checks AWS makes on a parsed UpdateExpression, reported by precedence (as recorded by
 * dynalite's tests): reserved word, unknown function, repeated clause, undefined #name, undefined
 * :value, overlapping paths, conflicting paths, wrong ADD/DELETE operand type, then function problems
 * (operand count, document path required, operand types). Within each kind the first one written wins.
 */

const FUNCTION_ARITY: ReadonlyMap<string, number> = new Map([
  ['if_not_exists', 2],
  ['list_append', 2],
]);

/** How ADD and DELETE messages name the types they refuse (sets are fine for both, N for ADD). */
const OPERAND_TYPE_NAMES: Partial<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
};

interface CheckedValue {
  value: SetValue;
  /** The value's type when it is a literal. */
  literalType?: AttributeType;
  /** Type known before evaluation: a literal's, or a function's result. */
  type?: AttributeType;
}

export function checkUpdate(clauses: SyntaxUpdateClause[], placeholders: Placeholders): UpdatePlan | string {
  const checker = new UpdateChecker(placeholders);
  const actions: UpdateAction[] = [];
  const seenClauses = new Set<UpdateClause>();
  for (const { clause, actions: syntaxActions } of clauses) {
    for (const action of syntaxActions) actions.push(checker.action(action));
    if (seenClauses.has(clause)) checker.repeatedClause ??= `The "${clause}" section can only be used once in an update expression;`;
    seenClauses.add(clause);
  }
  const message =
    checker.reserved ??
    checker.unknownFunction ??
    checker.repeatedClause ??
    checker.undefinedName ??
    checker.undefinedValue ??
    pathClashMessage(actions.map((action) => action.path)) ??
    checker.operandType ??
    checker.functionProblem;
  if (message !== undefined) return message;
  return { actions, nestedPathHeads: checker.nestedPathHeads, legacy: false };
}

class UpdateChecker {
  readonly nestedPathHeads = new Set<string>();
  reserved?: string;
  unknownFunction?: string;
  repeatedClause?: string;
  undefinedName?: string;
  undefinedValue?: string;
  operandType?: string;
  functionProblem?: string;

  constructor(private readonly placeholders: Placeholders) {}

  action(action: SyntaxUpdateClause['actions'][number]): UpdateAction {
    const path = this.path(action.path);
    switch (action.kind) {
      case 'set': {
        const { value, type } = this.setValue(action.value);
        return { kind: 'set', path, value, staticType: type };
      }
      case 'remove':
        return { kind: 'remove', path };
      case 'add':
      case 'delete': {
        const value = this.literal(action.value);
        if (value === undefined) return { kind: action.kind, path, value: { NULL: true } };
        const type = typeOf(value);
        const refused = OPERAND_TYPE_NAMES[type];
        if (refused !== undefined && !(action.kind === 'add' && type === 'N')) {
          this.operandType ??= `Incorrect operand type for operator or function; operator: ${action.kind.toUpperCase()}, operand type: ${refused}`;
        }
        return { kind: action.kind, path, value, staticType: type };
      }
    }
  }

  private path(syntax: SyntaxPath): DocumentPath {
    const path = resolvePath(syntax, this.placeholders, {
      reserved: (name) => (this.reserved ??= reservedKeywordMessage(name)),
      undefinedName: (placeholder) => (this.undefinedName ??= undefinedNameMessage(placeholder)),
    });
    if (path.length > 1) this.nestedPathHeads.add(path[0] as string);
    return path;
  }

  private literal(syntax: SyntaxValueRef): AttributeValue | undefined {
    const value = this.placeholders.value(syntax.name);
    if (value === undefined) this.undefinedValue ??= undefinedValueMessage(syntax.name);
    return value;
  }

  private setValue(syntax: SyntaxSetValue): CheckedValue {
    if (syntax.kind !== 'arithmetic') return this.operand(syntax);
    const left = this.operand(syntax.left);
    const right = this.operand(syntax.right);
    const type = this.checkFunction(syntax.operator, [left, right]);
    return { value: { kind: syntax.operator === '+' ? 'plus' : 'minus', left: left.value, right: right.value }, type };
  }

  private operand(syntax: SyntaxOperand): CheckedValue {
    switch (syntax.kind) {
      case 'path':
        return { value: { kind: 'path', path: this.path(syntax) } };
      case 'value': {
        const value = this.literal(syntax) ?? { NULL: true };
        const type = typeOf(value);
        return { value: { kind: 'value', value }, literalType: type, type };
      }
      case 'call': {
        const args = syntax.args.map((arg) => this.operand(arg));
        const type = this.checkFunction(syntax.name, args);
        // A call with the wrong number of arguments was reported; its value is never computed.
        const first = args[0].value;
        const second = (args[1] ?? args[0]).value;
        if (syntax.name === 'if_not_exists' && first.kind === 'path') {
          return { value: { kind: 'if_not_exists', path: first.path, fallback: second }, type };
        }
        // list_append, or an unknown function reported as an error
        return { value: { kind: 'list_append', first, second }, type };
      }
    }
  }

  /** Checks a function (or + and -) call; returns its result type. */
  private checkFunction(name: string, args: CheckedValue[]): AttributeType | undefined {
    if (this.unknownFunction !== undefined) return undefined;
    const arity = name === '+' || name === '-' ? 2 : FUNCTION_ARITY.get(name);
    if (arity === undefined) {
      this.unknownFunction = `Invalid function name; function: ${name}`;
      return undefined;
    }
    if (this.functionProblem !== undefined) return undefined;
    if (args.length !== arity) {
      this.functionProblem = `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`;
      return undefined;
    }
    if (name === 'if_not_exists') {
      if (args[0].value.kind !== 'path') this.functionProblem = `Operator or function requires a document path; operator or function: ${name}`;
      return args[1].type;
    }
    const expected: AttributeType = name === 'list_append' ? 'L' : 'N';
    for (const arg of args) {
      if (arg.literalType !== undefined && arg.literalType !== expected) {
        this.functionProblem = `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${arg.literalType}`;
        return undefined;
      }
    }
    return expected;
  }
}
