import { typeOf, type AttributeType, type AttributeValue } from '../values/attribute-value.js';
import { compareScalars } from '../values/compare.js';
import type { Condition, Operand, ParsedCondition } from './condition.js';
import { formatPath, type DocumentPath } from './paths.js';
import { reservedKeywordMessage, resolvePath, undefinedNameMessage, undefinedValueMessage } from './path-resolution.js';
import type { Placeholders } from './placeholders.js';
import type { SyntaxCall, SyntaxCondition, SyntaxOperand } from './syntax-tree.js';

/**
 * The semantic checks AWS makes on a parsed condition, with its precedence among them (as recorded by
 * dynalite's tests). Redundant parentheses win over unknown function names, which win over functions
 * used where a value or a condition is expected, then reserved words. Then comes the first simple
 * condition (comparison, BETWEEN, IN or function) with a problem; within it, an undefined placeholder
 * wins over a wrong number of operands, then non-distinct operands, then wrong operand types.
 */

const FUNCTION_ARITY: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
  ['size', 1],
]);

const TYPE_NAMES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M']);

/** An operand after checking: its resolved form and what is statically known about it. */
interface CheckedOperand {
  syntax: SyntaxOperand;
  operand: Operand;
  /** Resolved path, when the operand is a path. */
  path?: DocumentPath;
  /** The literal value, when the operand is a :placeholder. */
  literal?: AttributeValue;
  /** Type known before evaluation: a literal's type, or a function's result type. */
  type?: string;
}

/** A comparison, BETWEEN, IN or function call: a condition without AND, OR, NOT. */
type SimpleSyntaxCondition = Exclude<SyntaxCondition, { kind: 'and' | 'or' | 'not' }>;

/** Problems of one simple condition, by precedence. */
interface LeafProblems {
  placeholder?: string;
  operandCount?: string;
  distinct?: string;
  operandType?: string;
}

export function checkCondition(tree: SyntaxCondition, placeholders: Placeholders): ParsedCondition | string {
  const checker = new ConditionChecker(placeholders);
  const condition = checker.condition(tree);
  checker.misusedSize(tree);
  return checker.message() ?? { condition, pathHeads: checker.pathHeads, nestedPathHeads: checker.nestedPathHeads };
}

class ConditionChecker {
  readonly pathHeads = new Set<string>();
  readonly nestedPathHeads = new Set<string>();
  private redundantParens = false;
  private unknownFunction?: string;
  private misusedFunction?: string;
  private reserved?: string;
  private leafProblem?: string;
  private leaf: LeafProblems = {};

  constructor(private readonly placeholders: Placeholders) {}

  message(): string | undefined {
    if (this.redundantParens) return 'The expression has redundant parentheses;';
    return this.unknownFunction ?? this.misusedFunction ?? this.reserved ?? this.leafProblem;
  }

  private parens(node: { parens: number }): void {
    if (node.parens >= 2) this.redundantParens = true;
  }

  condition(node: SyntaxCondition): Condition {
    this.parens(node);
    switch (node.kind) {
      case 'and':
      case 'or': {
        const left = this.condition(node.left);
        const right = this.condition(node.right);
        this.misusedSize(node.left);
        this.misusedSize(node.right);
        return { kind: node.kind, left, right };
      }
      case 'not': {
        const condition = this.condition(node.condition);
        this.misusedSize(node.condition);
        return { kind: 'not', condition };
      }
      default:
        return this.simpleCondition(node);
    }
  }

  /** size() returns a number, so it cannot stand where a condition is expected. */
  misusedSize(node: SyntaxCondition): void {
    if (node.kind === 'call' && node.name === 'size') this.misused('size');
  }

  private misused(name: string): void {
    this.misusedFunction ??= `The function is not allowed to be used this way in an expression; function: ${name}`;
  }

  /** Functions other than size() produce conditions, not values. */
  private checkValueOperands(operands: readonly CheckedOperand[]): void {
    for (const { syntax } of operands) {
      if (syntax.kind === 'call' && syntax.name !== 'size') return this.misused(syntax.name);
    }
  }

  private simpleCondition(node: SimpleSyntaxCondition): Condition {
    this.leaf = {};
    const condition = this.simpleConditionBody(node);
    if (this.leafProblem === undefined) {
      const { placeholder, operandCount, distinct, operandType } = this.leaf;
      this.leafProblem = placeholder ?? operandCount ?? distinct ?? operandType;
    }
    return condition;
  }

  private simpleConditionBody(node: SimpleSyntaxCondition): Condition {
    switch (node.kind) {
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        this.checkValueOperands([left, right]);
        this.checkDistinct(node.operator, left, right);
        return { kind: 'compare', operator: node.operator, left: left.operand, right: right.operand };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const lower = this.operand(node.lower);
        const upper = this.operand(node.upper);
        this.checkValueOperands([operand, lower, upper]);
        this.checkBounds(lower, upper);
        return { kind: 'between', operand: operand.operand, lower: lower.operand, upper: upper.operand };
      }
      case 'in': {
        const operand = this.operand(node.operand);
        const list = node.list.map((element) => this.operand(element));
        this.checkValueOperands([operand, ...list]);
        return { kind: 'in', operand: operand.operand, list: list.map((element) => element.operand) };
      }
      case 'call': {
        const args = this.call(node).args;
        return functionCondition(node.name, args);
      }
    }
  }

  private operand(node: SyntaxOperand): CheckedOperand {
    this.parens(node);
    switch (node.kind) {
      case 'path': {
        if (node.redundantGroup) this.redundantParens = true;
        const path = resolvePath(node, this.placeholders, {
          reserved: (name) => (this.reserved ??= reservedKeywordMessage(name)),
          undefinedName: (placeholder) => (this.leaf.placeholder ??= undefinedNameMessage(placeholder)),
        });
        this.pathHeads.add(path[0] as string);
        if (path.length > 1) this.nestedPathHeads.add(path[0] as string);
        return { syntax: node, operand: { kind: 'path', path }, path };
      }
      case 'value': {
        const value = this.placeholders.value(node.name);
        if (value === undefined) {
          this.leaf.placeholder ??= undefinedValueMessage(node.name);
          return { syntax: node, operand: { kind: 'value', value: { NULL: true } } };
        }
        return { syntax: node, operand: { kind: 'value', value }, literal: value, type: typeOf(value) };
      }
      case 'call': {
        const { args, type } = this.call(node);
        const operand: Operand = node.name === 'size' ? { kind: 'size', operand: args[0].operand } : args[0].operand;
        return { syntax: node, operand, type };
      }
    }
  }

  private call(node: SyntaxCall): { args: CheckedOperand[]; type?: string } {
    const args = node.args.map((arg) => this.operand(arg));
    this.checkValueOperands(args);
    return { args, type: this.checkFunction(node.name, args) };
  }

  /** Checks a call's name, operand count and operand types; returns its result type. */
  private checkFunction(name: string, args: CheckedOperand[]): string | undefined {
    if (this.unknownFunction !== undefined) return undefined;
    const arity = FUNCTION_ARITY.get(name);
    if (arity === undefined) {
      this.unknownFunction = `Invalid function name; function: ${name}`;
      return undefined;
    }
    const leaf = this.leaf;
    if (leaf.operandCount !== undefined) return undefined;
    if (args.length !== arity) {
      leaf.operandCount = `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`;
      return undefined;
    }
    if (arity === 2) this.checkDistinct(name, args[0], args[1]);
    if (leaf.operandType !== undefined) return undefined;
    const wrongType = (type: string) =>
      (leaf.operandType = `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (args[0].path === undefined) leaf.operandType = `Operator or function requires a document path; operator or function: ${name}`;
        return undefined;
      case 'begins_with':
        for (const arg of args) {
          if (arg.type !== undefined && arg.type !== 'S' && arg.type !== 'B') {
            wrongType(arg.type);
            return undefined;
          }
        }
        return 'BOOL';
      case 'attribute_type': {
        const type = args[1].type;
        if (type !== 'S') {
          wrongType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
          return undefined;
        }
        const typeName = args[1].literal?.S;
        if (typeName !== undefined && !TYPE_NAMES.has(typeName)) {
          leaf.operandType = `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`;
          return undefined;
        }
        return 'BOOL';
      }
      case 'size': {
        const type = args[0].type;
        if (type === 'N' || type === 'BOOL' || type === 'NULL') wrongType(type);
        return 'N';
      }
      default: // contains
        return 'BOOL';
    }
  }

  /** `a = a`, `contains(a, a)`: the same path on both sides is refused. */
  private checkDistinct(operator: string, first: CheckedOperand, second: CheckedOperand): void {
    if (this.leaf.distinct !== undefined || first.path === undefined || second.path === undefined) return;
    const one = first.path;
    const two = second.path;
    if (one.length !== two.length || one.some((element, i) => element !== two[i])) return;
    this.leaf.distinct = `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(one)}`;
  }

  /** BETWEEN with two literal bounds: same type, lower <= upper. */
  private checkBounds(lower: CheckedOperand, upper: CheckedOperand): void {
    const x = lower.literal;
    const y = upper.literal;
    if (this.leaf.operandType !== undefined || x === undefined || y === undefined) return;
    const bounds = `lower bound operand: AttributeValue: {${valueText(x)}}, upper bound operand: AttributeValue: {${valueText(y)}}`;
    if (typeOf(x) !== typeOf(y)) {
      this.leaf.operandType = `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`;
    } else if ((compareScalars(x, y) ?? 0) > 0) {
      this.leaf.operandType = `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`;
    }
  }
}

/** AttributeValue as AWS prints it in BETWEEN messages: {S:a}, {N:1}. */
function valueText(value: AttributeValue): string {
  const type: AttributeType = typeOf(value);
  const payload = value[type];
  return `${type}:${typeof payload === 'object' ? JSON.stringify(payload) : String(payload)}`;
}

function functionCondition(name: string, args: CheckedOperand[]): Condition {
  // A call with the wrong number of arguments was reported; its condition is never evaluated.
  const first = args[0];
  const second = args[1] ?? first;
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return { kind: name, path: first.path ?? [] };
    case 'attribute_type':
      return { kind: 'attribute_type', operand: first.operand, type: second.operand };
    case 'begins_with':
      return { kind: 'begins_with', operand: first.operand, prefix: second.operand };
    default: // contains, or an unknown function reported as an error
      return { kind: 'contains', operand: first.operand, value: second.operand };
  }
}
