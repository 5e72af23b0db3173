import type { Condition, Operand } from '../expressions/condition.js';
import type { DocumentPath } from '../expressions/paths.js';
import type { SetValue, UpdateAction } from '../expressions/update-plan.js';
import type { AttributeValue } from '../values/attribute-value.js';
import { canonicalNumber } from '../values/number.js';

/**
 * The PartiQL DynamoDB accepts: SELECT, INSERT, UPDATE, DELETE on one table (or index), with WHERE
 * conditions, `?` parameters and DynamoDB's literals ('string', numbers, TRUE/FALSE, NULL, [lists],
 * {'maps': ...}, <<sets>>). Statements become the core's forms: WHERE a Condition, SET/REMOVE an
 * update plan's actions, VALUE an item, so the same evaluators run them.
 */

export type Statement =
  | { kind: 'select'; table: string; index?: string; projection?: DocumentPath[]; where?: Condition; orderBy?: { path: DocumentPath; descending: boolean } }
  | { kind: 'insert'; table: string; item: Record<string, AttributeValue> }
  | { kind: 'update'; table: string; actions: UpdateAction[]; where?: Condition; returning?: string }
  | { kind: 'delete'; table: string; where?: Condition; returning?: string };

export class PartiqlError extends Error {}

type Token =
  | { t: 'ident'; v: string; quoted: boolean }
  | { t: 'string'; v: string }
  | { t: 'number'; v: string }
  | { t: 'punct'; v: string }
  | { t: 'param' }
  | { t: 'end' };

const PUNCT = [';', '<<', '>>', '<=', '>=', '<>', '!=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new PartiqlError('Unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ t: 'string', v: value });
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new PartiqlError('Unterminated quoted identifier');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ t: 'ident', v: value, quoted: true });
      continue;
    }
    if (c === '?') {
      tokens.push({ t: 'param' });
      i++;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ t: 'number', v: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0], quoted: false });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (!punct) throw new PartiqlError(`Unexpected character: ${c}`);
    tokens.push({ t: 'punct', v: punct });
    i += punct.length;
  }
  tokens.push({ t: 'end' });
  return tokens;
}

/** A value as written (literal or parameter) or a path, before it becomes an operand. */
type Expr = { kind: 'value'; value: AttributeValue } | { kind: 'path'; path: DocumentPath } | { kind: 'call'; name: string; args: Expr[] } | { kind: 'arith'; op: '+' | '-'; left: Expr; right: Expr };

class Parser {
  private pos = 0;
  private paramIndex = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly parameters: readonly AttributeValue[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.t === 'ident' && !token.quoted && token.v.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw new PartiqlError(`Expected ${word}`);
  }

  private isPunct(p: string): boolean {
    const token = this.peek();
    return token.t === 'punct' && token.v === p;
  }

  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.pos++;
    return true;
  }

  private expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw new PartiqlError(`Expected ${p}`);
  }

  get parametersUsed(): number {
    return this.paramIndex;
  }

  statement(): Statement {
    let statement: Statement;
    if (this.acceptKeyword('SELECT')) statement = this.select();
    else if (this.acceptKeyword('INSERT')) statement = this.insert();
    else if (this.acceptKeyword('UPDATE')) statement = this.update();
    else if (this.acceptKeyword('DELETE')) statement = this.delete();
    else throw new PartiqlError('Unsupported statement');
    this.acceptPunct(';');
    if (this.peek().t !== 'end') throw new PartiqlError('Unexpected token after the end of the statement');
    return statement;
  }

  private tableName(): { table: string; index?: string } {
    const token = this.next();
    if (token.t !== 'ident') throw new PartiqlError('Expected a table name');
    let index: string | undefined;
    if (this.acceptPunct('.')) {
      const indexToken = this.next();
      if (indexToken.t !== 'ident') throw new PartiqlError('Expected an index name');
      index = indexToken.v;
    }
    return { table: token.v, index };
  }

  private select(): Statement {
    let projection: DocumentPath[] | undefined;
    if (!this.acceptPunct('*')) {
      projection = [this.path()];
      while (this.acceptPunct(',')) projection.push(this.path());
    }
    this.expectKeyword('FROM');
    const { table, index } = this.tableName();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    if (!this.acceptKeyword('ORDER')) return { kind: 'select', table, index, projection, where };
    this.expectKeyword('BY');
    const path = this.path();
    const descending = this.acceptKeyword('DESC');
    if (!descending) this.acceptKeyword('ASC');
    return { kind: 'select', table, index, projection, where, orderBy: { path, descending } };
  }

  private insert(): Statement {
    this.expectKeyword('INTO');
    const { table } = this.tableName();
    this.expectKeyword('VALUE');
    const value = this.literal();
    if (value.M === undefined) throw new PartiqlError('INSERT VALUE must be a tuple');
    return { kind: 'insert', table, item: value.M };
  }

  private update(): Statement {
    const { table } = this.tableName();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do actions.push(this.setAction());
        while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do actions.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else break;
    }
    if (actions.length === 0) throw new PartiqlError('Expected SET or REMOVE');
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    const returning = this.returning();
    return { kind: 'update', table, actions, where, returning };
  }

  private delete(): Statement {
    this.expectKeyword('FROM');
    const { table } = this.tableName();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    const returning = this.returning();
    return { kind: 'delete', table, where, returning };
  }

  private returning(): string | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const words: string[] = [];
    while (this.peek().t === 'ident') words.push((this.next() as { v: string }).v.toUpperCase());
    this.acceptPunct('*');
    return words.join('_');
  }

  private setAction(): UpdateAction {
    const path = this.path();
    this.expectPunct('=');
    const expr = this.expr();
    if (expr.kind === 'call' && (expr.name === 'set_add' || expr.name === 'set_delete')) {
      const [target, value] = expr.args;
      if (target?.kind !== 'path' || value?.kind !== 'value') throw new PartiqlError(`Invalid ${expr.name} arguments`);
      return { kind: expr.name === 'set_add' ? 'add' : 'delete', path, value: value.value };
    }
    return { kind: 'set', path, value: this.setValue(expr) };
  }

  private setValue(expr: Expr): SetValue {
    switch (expr.kind) {
      case 'value':
        return { kind: 'value', value: expr.value };
      case 'path':
        return { kind: 'path', path: expr.path };
      case 'arith':
        return { kind: expr.op === '+' ? 'plus' : 'minus', left: this.setValue(expr.left), right: this.setValue(expr.right) };
      case 'call': {
        if (expr.name === 'list_append' && expr.args.length === 2) {
          return { kind: 'list_append', first: this.setValue(expr.args[0]), second: this.setValue(expr.args[1]) };
        }
        if (expr.name === 'if_not_exists' && expr.args.length === 2 && expr.args[0].kind === 'path') {
          return { kind: 'if_not_exists', path: expr.args[0].path, fallback: this.setValue(expr.args[1]) };
        }
        throw new PartiqlError(`Unsupported function in SET: ${expr.name}`);
      }
    }
  }

  // ---- conditions ----

  condition(): Condition {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', condition: this.negation() };
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isPunct('(')) {
      const save = this.pos;
      this.pos++;
      try {
        const inner = this.condition();
        this.expectPunct(')');
        return inner;
      } catch {
        this.pos = save;
      }
    }
    const left = this.expr();
    if (left.kind === 'call' && this.isFunctionCondition(left.name)) return this.functionCondition(left);
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      let condition: Condition;
      if (this.acceptKeyword('MISSING')) condition = { kind: 'attribute_not_exists', path: this.pathOf(left) };
      else if (this.acceptKeyword('NULL')) condition = { kind: 'attribute_type', operand: this.operand(left), type: { kind: 'value', value: { S: 'NULL' } } };
      else throw new PartiqlError('Expected MISSING or NULL');
      return negated ? { kind: 'not', condition } : condition;
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('BETWEEN')) {
      const lower = this.expr();
      this.expectKeyword('AND');
      const upper = this.expr();
      const between: Condition = { kind: 'between', operand: this.operand(left), lower: this.operand(lower), upper: this.operand(upper) };
      return negated ? { kind: 'not', condition: between } : between;
    }
    if (this.acceptKeyword('IN')) {
      const open = this.isPunct('(') ? ')' : ']';
      this.expectPunct(open === ')' ? '(' : '[');
      const list: Operand[] = [this.operand(this.expr())];
      while (this.acceptPunct(',')) list.push(this.operand(this.expr()));
      this.expectPunct(open);
      const inList: Condition = { kind: 'in', operand: this.operand(left), list };
      return negated ? { kind: 'not', condition: inList } : inList;
    }
    if (negated) throw new PartiqlError('Expected BETWEEN or IN after NOT');
    const token = this.next();
    const comparators: Record<string, Comparator> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
    if (token.t !== 'punct' || !(token.v in comparators)) throw new PartiqlError('Expected a comparison');
    const right = this.expr();
    return { kind: 'compare', operator: comparators[token.v], left: this.operand(left), right: this.operand(right) };
  }

  private isFunctionCondition(name: string): boolean {
    return ['begins_with', 'contains', 'attribute_type', 'exists', 'missing'].includes(name);
  }

  private functionCondition(call: { name: string; args: Expr[] }): Condition {
    const [a, b] = call.args;
    switch (call.name) {
      case 'begins_with':
        return { kind: 'begins_with', operand: this.operand(a), prefix: this.operand(b) };
      case 'contains':
        return { kind: 'contains', operand: this.operand(a), value: this.operand(b) };
      case 'attribute_type':
        return { kind: 'attribute_type', operand: this.operand(a), type: this.operand(b) };
      case 'exists':
        return { kind: 'attribute_exists', path: this.pathOf(a) };
      default:
        return { kind: 'attribute_not_exists', path: this.pathOf(a) };
    }
  }

  private operand(expr: Expr): Operand {
    switch (expr.kind) {
      case 'value':
        return { kind: 'value', value: expr.value };
      case 'path':
        return { kind: 'path', path: expr.path };
      case 'call':
        if (expr.name === 'size' && expr.args.length === 1) return { kind: 'size', operand: this.operand(expr.args[0]) };
        throw new PartiqlError(`Unsupported function: ${expr.name}`);
      default:
        throw new PartiqlError('Arithmetic is only supported in SET');
    }
  }

  private pathOf(expr: Expr): DocumentPath {
    if (expr.kind !== 'path') throw new PartiqlError('Expected an attribute path');
    return expr.path;
  }

  // ---- expressions ----

  private expr(): Expr {
    let left = this.primary();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = (this.next() as { v: string }).v as '+' | '-';
      left = { kind: 'arith', op, left, right: this.primary() };
    }
    return left;
  }

  private primary(): Expr {
    const token = this.peek();
    if (token.t === 'ident' && !token.quoted && this.peek(1).t === 'punct' && (this.peek(1) as { v: string }).v === '(') {
      const name = token.v.toLowerCase();
      this.pos += 2;
      const args: Expr[] = [];
      if (!this.acceptPunct(')')) {
        do args.push(this.expr());
        while (this.acceptPunct(','));
        this.expectPunct(')');
      }
      return { kind: 'call', name, args };
    }
    if (token.t === 'ident' && !(token.quoted === false && ['TRUE', 'FALSE', 'NULL', 'MISSING'].includes(token.v.toUpperCase()))) {
      return { kind: 'path', path: this.path() };
    }
    return { kind: 'value', value: this.literal() };
  }

  path(): DocumentPath {
    const first = this.next();
    if (first.t !== 'ident') throw new PartiqlError('Expected an attribute name');
    const path: (string | number)[] = [first.v];
    for (;;) {
      if (this.acceptPunct('.')) {
        const token = this.next();
        if (token.t !== 'ident') throw new PartiqlError('Expected an attribute name after .');
        path.push(token.v);
      } else if (this.acceptPunct('[')) {
        const token = this.next();
        if (token.t === 'number' && /^\d+$/.test(token.v)) path.push(Number(token.v));
        else if (token.t === 'string') path.push(token.v);
        else throw new PartiqlError('Expected a list index');
        this.expectPunct(']');
      } else break;
    }
    return path;
  }

  literal(): AttributeValue {
    const token = this.next();
    switch (token.t) {
      case 'string':
        return { S: token.v };
      case 'number':
        return { N: number(token.v) };
      case 'param': {
        const value = this.parameters[this.paramIndex++];
        if (value === undefined) throw new PartiqlError('Number of parameters in request and statement don\'t match.');
        return value;
      }
      case 'ident': {
        const word = token.v.toUpperCase();
        if (!token.quoted && word === 'TRUE') return { BOOL: true };
        if (!token.quoted && word === 'FALSE') return { BOOL: false };
        if (!token.quoted && word === 'NULL') return { NULL: true };
        throw new PartiqlError(`Unexpected identifier: ${token.v}`);
      }
      case 'punct': {
        if (token.v === '-') {
          const next = this.next();
          if (next.t !== 'number') throw new PartiqlError('Expected a number after -');
          return { N: number(`-${next.v}`) };
        }
        if (token.v === '[') {
          const list: AttributeValue[] = [];
          if (!this.acceptPunct(']')) {
            do list.push(this.literal());
            while (this.acceptPunct(','));
            this.expectPunct(']');
          }
          return { L: list };
        }
        if (token.v === '{') {
          const map: Record<string, AttributeValue> = {};
          if (!this.acceptPunct('}')) {
            do {
              const key = this.next();
              if (key.t !== 'string' && key.t !== 'ident') throw new PartiqlError('Expected a tuple key');
              this.expectPunct(':');
              map[key.v] = this.literal();
            } while (this.acceptPunct(','));
            this.expectPunct('}');
          }
          return { M: map };
        }
        if (token.v === '<<') {
          const members: AttributeValue[] = [];
          if (!this.acceptPunct('>>')) {
            do members.push(this.literal());
            while (this.acceptPunct(','));
            this.expectPunct('>>');
          }
          return setOf(members);
        }
        throw new PartiqlError(`Unexpected token: ${token.v}`);
      }
      default:
        throw new PartiqlError('Unexpected end of statement');
    }
  }
}

type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

function number(text: string): string {
  const check = canonicalNumber(text);
  if (!check.ok) throw new PartiqlError(check.message);
  return check.value;
}

function setOf(members: AttributeValue[]): AttributeValue {
  if (members.length === 0) throw new PartiqlError('Sets may not be empty');
  if (members.every((m) => m.S !== undefined)) return { SS: members.map((m) => m.S!) };
  if (members.every((m) => m.N !== undefined)) return { NS: members.map((m) => m.N!) };
  if (members.every((m) => m.B !== undefined)) return { BS: members.map((m) => m.B!) };
  throw new PartiqlError('Set members must all be strings, numbers or binaries');
}

/** Parses a statement, binding `?` parameters in order. */
export function parseStatement(text: string, parameters: readonly AttributeValue[] = []): Statement {
  const parser = new Parser(tokenize(text), parameters);
  const statement = parser.statement();
  if (parser.parametersUsed !== parameters.length) throw new PartiqlError("Number of parameters in request and statement don't match.");
  return statement;
}
