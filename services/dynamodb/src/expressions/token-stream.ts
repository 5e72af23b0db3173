import { tokenize, type Token } from './tokens.js';

/**
 * A cursor over an expression's tokens for the backtracking parsers (ordered choice, as in a PEG).
 * It remembers the farthest token any alternative failed at: that token is the syntax error AWS
 * reports, as `Syntax error; token: "<token>", near: "<previous token … next token>"`.
 */
export class TokenStream {
  readonly tokens: Token[];
  pos = 0;
  private farthest = 0;
  private readonly memo = new Map<number, { value: unknown; end: number }>();

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  get current(): Token {
    return this.tokens[this.pos];
  }

  /** Records that the current token is not what an alternative wanted. */
  private miss(): false {
    if (this.pos > this.farthest) this.farthest = this.pos;
    return false;
  }

  /** Records a failure at the current token, for rules that test tokens themselves. */
  fail(): undefined {
    this.miss();
    return undefined;
  }

  /** Consumes the symbol `text` if it is next. */
  symbol(text: string): boolean {
    const token = this.tokens[this.pos];
    if (token.kind === 'symbol' && token.text === text) {
      this.pos++;
      return true;
    }
    return this.miss();
  }

  /** Consumes the keyword `word` (case-insensitive) if it is next. */
  keyword(word: string): boolean {
    if (this.isKeyword(word)) {
      this.pos++;
      return true;
    }
    return this.miss();
  }

  isKeyword(word: string): boolean {
    const token = this.tokens[this.pos];
    return token.kind === 'identifier' && token.text.length === word.length && token.text.toUpperCase() === word;
  }

  /** Consumes and returns the next token if it is of `kind`. */
  take(kind: Token['kind']): Token | undefined {
    const token = this.tokens[this.pos];
    if (token.kind === kind) {
      this.pos++;
      return token;
    }
    this.miss();
    return undefined;
  }

  /** Whether every token has been consumed; records a failure otherwise. */
  atEnd(): boolean {
    return this.tokens[this.pos].kind === 'eof' || this.miss();
  }

  /** Runs `rule` once per (rule id, position): alternatives re-enter rules at the same place. */
  memoized<T>(ruleId: number, rule: () => T | undefined): T | undefined {
    const key = this.pos * 16 + ruleId;
    const hit = this.memo.get(key);
    if (hit !== undefined) {
      if (hit.value !== undefined) this.pos = hit.end;
      return hit.value as T | undefined;
    }
    const start = this.pos;
    const value = rule();
    if (value === undefined) this.pos = start;
    this.memo.set(key, { value, end: this.pos });
    return value;
  }

  /** The message for the farthest failure. */
  syntaxErrorMessage(): string {
    const tokens = this.tokens;
    const index = this.farthest;
    const token = tokens[index];
    const previous = index > 0 ? tokens[index - 1] : undefined;
    const next = tokens[index + 1];
    const start = (previous ?? token).start;
    const end = next !== undefined && next.kind !== 'eof' ? next.end : token.kind !== 'eof' ? token.end : (previous?.end ?? token.end);
    const text = token.kind === 'eof' ? '<EOF>' : token.text;
    return `Syntax error; token: "${text}", near: "${this.source.slice(start, end)}"`;
  }
}
