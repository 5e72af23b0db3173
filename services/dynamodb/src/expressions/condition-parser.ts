import { parseIdentifier, parsePathSteps } from './path-syntax.js';
import type { Comparator, SyntaxCall, SyntaxCondition, SyntaxOperand, SyntaxPath } from './syntax-tree.js';
import { TokenStream } from './token-stream.js';

/**
 * Parser for ConditionExpression, FilterExpression and KeyConditionExpression:
 *
 *   condition  ::= or
 *   or         ::= and [OR or]                 NOT binds tighter than AND, AND than OR
 *   and        ::= not [AND and]
 *   not        ::= NOT not | paren
 *   paren      ::= "(" "(" or ")" ")" | leaf | "(" or ")"
 *   leaf       ::= operand' comparator operand' | operand' BETWEEN operand' AND operand'
 *                | operand' IN "(" operand' {"," operand'} ")" | function
 *   operand'   ::= "(" "(" operand ")" ")" | "(" operand ")" | operand
 *   operand    ::= function | :value | path
 *   function   ::= name "(" operand' {"," operand'} ")"
 *   path       ::= group {"[" n "]" | "." name}
 *   group      ::= name | #name | "(" "(" path ")" ")" | "(" path ")"
 *
 * Alternatives are tried in order with backtracking. Doubled parentheses parse but are reported later
 * as redundant. Returns the tree, or the syntax error message.
 */

const KEYWORDS: ReadonlySet<string> = new Set(['BETWEEN', 'IN', 'AND', 'OR', 'NOT']);
const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

const RULE_OPERAND = 1;
const RULE_FUNCTION = 2;
const RULE_OR = 3;
const RULE_PATH = 4;

export function parseCondition(source: string): SyntaxCondition | string {
  const stream = new TokenStream(source);
  const condition = parseOr(stream);
  if (condition === undefined || !stream.atEnd()) return stream.syntaxErrorMessage();
  return condition;
}

function withParens<T extends { parens: number }>(node: T, count: number): T {
  return { ...node, parens: node.parens + count };
}

function parseOr(stream: TokenStream): SyntaxCondition | undefined {
  return stream.memoized(RULE_OR, () => {
    const left = parseAnd(stream);
    if (left === undefined) return undefined;
    const mark = stream.pos;
    if (stream.keyword('OR')) {
      const right = parseOr(stream);
      if (right !== undefined) return { kind: 'or', left, right, parens: 0 };
    }
    stream.pos = mark;
    return left;
  });
}

function parseAnd(stream: TokenStream): SyntaxCondition | undefined {
  const left = parseNot(stream);
  if (left === undefined) return undefined;
  const mark = stream.pos;
  if (stream.keyword('AND')) {
    const right = parseAnd(stream);
    if (right !== undefined) return { kind: 'and', left, right, parens: 0 };
  }
  stream.pos = mark;
  return left;
}

function parseNot(stream: TokenStream): SyntaxCondition | undefined {
  const mark = stream.pos;
  if (stream.keyword('NOT')) {
    const condition = parseNot(stream);
    if (condition !== undefined) return { kind: 'not', condition, parens: 0 };
    stream.pos = mark;
    return undefined;
  }
  return parseParen(stream);
}

function parseParen(stream: TokenStream): SyntaxCondition | undefined {
  const mark = stream.pos;
  if (stream.symbol('(') && stream.symbol('(')) {
    const inner = parseOr(stream);
    if (inner !== undefined && stream.symbol(')') && stream.symbol(')')) return withParens(inner, 2);
  }
  stream.pos = mark;
  const leaf = parseLeaf(stream);
  if (leaf !== undefined) return leaf;
  stream.pos = mark;
  if (stream.symbol('(')) {
    const inner = parseOr(stream);
    if (inner !== undefined && stream.symbol(')')) return withParens(inner, 1);
  }
  stream.pos = mark;
  return undefined;
}

function parseLeaf(stream: TokenStream): SyntaxCondition | undefined {
  const mark = stream.pos;
  const operand = parseOperandInParens(stream);
  if (operand !== undefined) {
    const afterOperand = stream.pos;
    const token = stream.current;
    if (token.kind === 'symbol' && COMPARATORS.has(token.text)) {
      stream.pos++;
      const right = parseOperandInParens(stream);
      if (right !== undefined) return { kind: 'compare', operator: token.text as Comparator, left: operand, right, parens: 0 };
    } else {
      stream.symbol('='); // records the failure point for the error message
    }
    stream.pos = afterOperand;
    if (stream.keyword('BETWEEN')) {
      const lower = parseOperandInParens(stream);
      if (lower !== undefined && stream.keyword('AND')) {
        const upper = parseOperandInParens(stream);
        if (upper !== undefined) return { kind: 'between', operand, lower, upper, parens: 0 };
      }
    }
    stream.pos = afterOperand;
    if (stream.keyword('IN') && stream.symbol('(')) {
      const list = parseArguments(stream);
      if (list !== undefined && stream.symbol(')')) return { kind: 'in', operand, list, parens: 0 };
    }
  }
  stream.pos = mark;
  return parseFunction(stream);
}

function parseOperandInParens(stream: TokenStream): SyntaxOperand | undefined {
  return stream.memoized(RULE_OPERAND, () => {
    const mark = stream.pos;
    if (stream.symbol('(') && stream.symbol('(')) {
      const operand = parseOperand(stream);
      if (operand !== undefined && stream.symbol(')') && stream.symbol(')')) return withParens(operand, 2);
    }
    stream.pos = mark;
    if (stream.symbol('(')) {
      const operand = parseOperand(stream);
      if (operand !== undefined && stream.symbol(')')) return withParens(operand, 1);
    }
    stream.pos = mark;
    return parseOperand(stream);
  });
}

function parseOperand(stream: TokenStream): SyntaxOperand | undefined {
  const call = parseFunction(stream);
  if (call !== undefined) return call;
  const value = stream.take('value');
  if (value !== undefined) return { kind: 'value', name: value.text, parens: 0 };
  return parsePath(stream);
}

function parseFunction(stream: TokenStream): SyntaxCall | undefined {
  return stream.memoized(RULE_FUNCTION, () => {
    const name = stream.current;
    if (name.kind !== 'identifier' || KEYWORDS.has(name.text.toUpperCase())) return stream.fail();
    stream.pos++;
    if (!stream.symbol('(')) return undefined;
    const args = parseArguments(stream);
    if (args === undefined || !stream.symbol(')')) return undefined;
    return { kind: 'call', name: name.text, args, parens: 0 };
  });
}

function parseArguments(stream: TokenStream): SyntaxOperand[] | undefined {
  const first = parseOperandInParens(stream);
  if (first === undefined) return undefined;
  const args = [first];
  for (;;) {
    const mark = stream.pos;
    if (stream.symbol(',')) {
      const next = parseOperandInParens(stream);
      if (next !== undefined) {
        args.push(next);
        continue;
      }
    }
    stream.pos = mark;
    return args;
  }
}

function parsePath(stream: TokenStream): SyntaxPath | undefined {
  return stream.memoized(RULE_PATH, () => {
    const head = parseGroup(stream);
    if (head === undefined) return undefined;
    const elements = [...head.elements];
    parsePathSteps(stream, KEYWORDS, elements);
    return { kind: 'path', elements, parens: 0, redundantGroup: head.redundantGroup };
  });
}

function parseGroup(stream: TokenStream): SyntaxPath | undefined {
  const identifier = parseIdentifier(stream, KEYWORDS);
  if (identifier !== undefined) return { kind: 'path', elements: [identifier], parens: 0, redundantGroup: false };
  const mark = stream.pos;
  if (stream.symbol('(') && stream.symbol('(')) {
    const path = parsePath(stream);
    if (path !== undefined && stream.symbol(')') && stream.symbol(')')) return { ...path, redundantGroup: true };
  }
  stream.pos = mark;
  if (stream.symbol('(')) {
    const path = parsePath(stream);
    if (path !== undefined && stream.symbol(')')) return path;
  }
  stream.pos = mark;
  return undefined;
}
