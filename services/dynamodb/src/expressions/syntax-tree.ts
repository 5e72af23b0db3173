/**
 * What the parsers produce: the expression's structure with placeholders (#n, :v) still unresolved
 * and the parentheses counted. The checkers (condition-check.ts, update-check.ts, projection.ts)
 * validate these as AWS does and turn them into the resolved forms the evaluators run.
 */

export type SyntaxPathElement =
  | { kind: 'identifier'; name: string }
  | { kind: 'placeholder'; name: string }
  | { kind: 'index'; index: number };

interface Parenthesized {
  /** Pairs of parentheses directly around this node; two or more are redundant. */
  parens: number;
}

export interface SyntaxPath extends Parenthesized {
  kind: 'path';
  elements: SyntaxPathElement[];
  /** A group inside the path, as in `((a.b)).c`, had redundant parentheses. */
  redundantGroup: boolean;
}

/** A :placeholder for an ExpressionAttributeValues entry. */
export interface SyntaxValueRef extends Parenthesized {
  kind: 'value';
  name: string;
}

/** A function call: size(a), if_not_exists(a, :v)… */
export interface SyntaxCall extends Parenthesized {
  kind: 'call';
  name: string;
  args: SyntaxOperand[];
}

export type SyntaxOperand = SyntaxPath | SyntaxValueRef | SyntaxCall;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type SyntaxCondition =
  | (Parenthesized & { kind: 'compare'; operator: Comparator; left: SyntaxOperand; right: SyntaxOperand })
  | (Parenthesized & { kind: 'between'; operand: SyntaxOperand; lower: SyntaxOperand; upper: SyntaxOperand })
  | (Parenthesized & { kind: 'in'; operand: SyntaxOperand; list: SyntaxOperand[] })
  | (Parenthesized & { kind: 'and' | 'or'; left: SyntaxCondition; right: SyntaxCondition })
  | (Parenthesized & { kind: 'not'; condition: SyntaxCondition })
  | SyntaxCall;

/** The right-hand side of SET: an operand, or operand + operand, or operand - operand. */
export type SyntaxSetValue = SyntaxOperand | { kind: 'arithmetic'; operator: '+' | '-'; left: SyntaxOperand; right: SyntaxOperand };

export type UpdateClause = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type SyntaxUpdateAction =
  | { kind: 'set'; path: SyntaxPath; value: SyntaxSetValue }
  | { kind: 'remove'; path: SyntaxPath }
  | { kind: 'add' | 'delete'; path: SyntaxPath; value: SyntaxValueRef };

export interface SyntaxUpdateClause {
  clause: UpdateClause;
  actions: SyntaxUpdateAction[];
}
