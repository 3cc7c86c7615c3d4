/**
 * tau-bench's `calculate`: numbers, + - * /, parentheses and spaces; the result rounded to 2 decimals.
 * A small recursive-descent parser (no eval, so it also runs under a strict browser CSP).
 */
/** Starts at a number (after signs or parentheses), so that it can also be found inside a sentence. */
export const EXPRESSION_PATTERN = /^[\s(+-]*\.?\d[\d\s.+\-*/()]*$/;

export function calculate(expression: string): number {
  if (!EXPRESSION_PATTERN.test(expression)) throw new Error('Only numbers, + - * /, parentheses and spaces are allowed.');
  const tokens = expression.match(/\d+(?:\.\d+)?|\.\d+|[+\-*/()]/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];

  const primary = (): number => {
    const t = take();
    if (t === undefined) throw new Error('The expression ends too early.');
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '(') {
      const v = sum();
      if (take() !== ')') throw new Error('A closing parenthesis is missing.');
      return v;
    }
    const n = Number(t);
    if (Number.isNaN(n)) throw new Error(`Unexpected "${t}".`);
    return n;
  };
  const product = (): number => {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const r = primary();
      if (op === '/' && r === 0) throw new Error('Division by zero.');
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = take() === '+' ? v + product() : v - product();
    return v;
  };

  const result = sum();
  if (pos !== tokens.length) throw new Error(`Unexpected "${tokens[pos]}".`);
  return Math.round(result * 100) / 100;
}
