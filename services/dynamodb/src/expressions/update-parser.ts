import { parseIdentifier, parsePathSteps } from './path-syntax.js';
import type {
  SyntaxCall,
  SyntaxOperand,
  SyntaxPath,
  SyntaxSetValue,
  SyntaxUpdateAction,
  SyntaxUpdateClause,
  SyntaxValueRef,
  UpdateClause,
} from './syntax-tree.js';
import { TokenStream } from './token-stream.js';

/**
 * Parser for UpdateExpression:
 *
 *   update    ::= clause {clause}
 *   clause    ::= SET set {"," set} | REMOVE path {"," path}
 *               | ADD path :value {"," path :value} | DELETE path :value {"," path :value}
 *   set       ::= path "=" value | path "=" "(" value ")"
 *   value     ::= operand' "+" operand' | operand' "-" operand' | operand'
 *   operand'  ::= "(" operand ")" | operand
 *   operand   ::= function | :value | path
 *   function  ::= name "(" operand' {"," operand'} ")"
 *   path      ::= name {"[" n "]" | "." name}
 *
 * A clause may appear more than once here; that is reported by the checker, as AWS does.
 */

const KEYWORDS: ReadonlySet<string> = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

export function parseUpdate(source: string): SyntaxUpdateClause[] | string {
  const stream = new TokenStream(source);
  const clauses: SyntaxUpdateClause[] = [];
  for (;;) {
    const clause = parseClause(stream);
    if (clause === undefined) break;
    clauses.push(clause);
  }
  if (clauses.length === 0 || !stream.atEnd()) return stream.syntaxErrorMessage();
  return clauses;
}

function parseClause(stream: TokenStream): SyntaxUpdateClause | undefined {
  const mark = stream.pos;
  for (const clause of KEYWORDS as ReadonlySet<UpdateClause>) {
    if (!stream.keyword(clause)) continue;
    const actions = parseList(stream, () => parseAction(stream, clause));
    if (actions !== undefined) return { clause, actions };
    stream.pos = mark;
    return undefined;
  }
  return undefined;
}

function parseList<T>(stream: TokenStream, parseItem: () => T | undefined): T[] | undefined {
  const first = parseItem();
  if (first === undefined) return undefined;
  const items = [first];
  for (;;) {
    const mark = stream.pos;
    if (stream.symbol(',')) {
      const next = parseItem();
      if (next !== undefined) {
        items.push(next);
        continue;
      }
    }
    stream.pos = mark;
    return items;
  }
}

function parseAction(stream: TokenStream, clause: UpdateClause): SyntaxUpdateAction | undefined {
  const mark = stream.pos;
  const path = parsePath(stream);
  if (path === undefined) return undefined;
  switch (clause) {
    case 'SET': {
      const value = stream.symbol('=') ? parseSetValue(stream) : undefined;
      if (value !== undefined) return { kind: 'set', path, value };
      break;
    }
    case 'REMOVE':
      return { kind: 'remove', path };
    case 'ADD':
    case 'DELETE': {
      const value = parseValueRef(stream);
      if (value !== undefined) return { kind: clause === 'ADD' ? 'add' : 'delete', path, value };
      break;
    }
  }
  stream.pos = mark;
  return undefined;
}

function parseSetValue(stream: TokenStream): SyntaxSetValue | undefined {
  const mark = stream.pos;
  if (stream.symbol('(')) {
    const value = parseArithmetic(stream);
    // "(a) + b" is an operand in parentheses, not a parenthesized value.
    if (value !== undefined && stream.symbol(')') && !isArithmeticSymbol(stream)) return value;
  }
  stream.pos = mark;
  return parseArithmetic(stream);
}

function isArithmeticSymbol(stream: TokenStream): boolean {
  const token = stream.current;
  return token.kind === 'symbol' && (token.text === '+' || token.text === '-');
}

function parseArithmetic(stream: TokenStream): SyntaxSetValue | undefined {
  const left = parseOperandInParens(stream);
  if (left === undefined) return undefined;
  const mark = stream.pos;
  for (const operator of ['+', '-'] as const) {
    if (stream.symbol(operator)) {
      const right = parseOperandInParens(stream);
      if (right !== undefined) return { kind: 'arithmetic', operator, left, right };
      stream.pos = mark;
    }
  }
  return left;
}

function parseOperandInParens(stream: TokenStream): SyntaxOperand | undefined {
  const mark = stream.pos;
  if (stream.symbol('(')) {
    const operand = parseOperand(stream);
    if (operand !== undefined && stream.symbol(')')) return { ...operand, parens: 1 };
  }
  stream.pos = mark;
  return parseOperand(stream);
}

function parseOperand(stream: TokenStream): SyntaxOperand | undefined {
  return parseFunction(stream) ?? parseValueRef(stream) ?? parsePath(stream);
}

function parseValueRef(stream: TokenStream): SyntaxValueRef | undefined {
  const token = stream.take('value');
  return token && { kind: 'value', name: token.text, parens: 0 };
}

function parseFunction(stream: TokenStream): SyntaxCall | undefined {
  const mark = stream.pos;
  const name = stream.current;
  if (name.kind !== 'identifier' || KEYWORDS.has(name.text.toUpperCase())) return stream.fail();
  stream.pos++;
  if (stream.symbol('(')) {
    const args = parseList(stream, () => parseOperandInParens(stream));
    if (args !== undefined && stream.symbol(')')) return { kind: 'call', name: name.text, args, parens: 0 };
  }
  stream.pos = mark;
  return undefined;
}

function parsePath(stream: TokenStream): SyntaxPath | undefined {
  const head = parseIdentifier(stream, KEYWORDS);
  if (head === undefined) return undefined;
  const elements = [head];
  parsePathSteps(stream, KEYWORDS, elements);
  return { kind: 'path', elements, parens: 0, redundantGroup: false };
}
