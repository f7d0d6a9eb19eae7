/**
 * Finds where a JSON text (RFC 8259) first goes wrong, for error messages that
 * point at a line and column. Node 20's `JSON.parse` often omits the position
 * ("Unexpected token ',', ... is not valid JSON"), so this scanner re-reads the
 * text after a failed parse. It is only used on the error path.
 */
export interface JsonSyntaxProblem {
  offset: number;
  reason: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const n = text.length;
  const describe = (at: number) =>
    at >= n ? 'the file ends early (truncated?)' : `unexpected ${JSON.stringify(text[at])}`;
  const skip = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  // An explicit stack instead of recursion: fuzzed input may nest deeply.
  type Frame = { kind: 'object' | 'array'; state: 'start' | 'value' | 'comma' };
  const stack: Frame[] = [];

  const scanString = (): JsonSyntaxProblem | undefined => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return { offset: n, reason: describe(n) };
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, reason: 'invalid \\u escape in a string' };
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) return { offset: i, reason: `invalid escape "\\${e}" in a string` };
        i += 2;
        continue;
      }
      if (c < 0x20) return { offset: i, reason: 'a control character (such as a line break) inside a string' };
      i++;
    }
    return { offset: n, reason: describe(n) };
  };

  const scanValue = (): JsonSyntaxProblem | undefined => {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'object' : 'array', state: 'start' });
      i++;
      return undefined;
    }
    if (c === '"') return scanString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return undefined;
    }
    return { offset: i, reason: i >= n ? describe(n) : `unexpected ${JSON.stringify(c)} where a value should be` };
  };

  let problem = scanValue();
  while (!problem) {
    const top = stack[stack.length - 1];
    if (!top) break;
    skip();
    const c = text[i];
    const close = top.kind === 'object' ? '}' : ']';
    if (top.state === 'start' && c === close) {
      stack.pop();
      i++;
      if (stack.length) stack[stack.length - 1]!.state = 'value';
      continue;
    }
    if (top.state === 'value') {
      if (c === ',') {
        top.state = 'comma';
        i++;
        continue;
      }
      if (c === close) {
        stack.pop();
        i++;
        if (stack.length) stack[stack.length - 1]!.state = 'value';
        continue;
      }
      problem = { offset: i, reason: i >= n ? describe(n) : `expected "," or "${close}" but found ${JSON.stringify(c)}` };
      break;
    }
    // start (not closing) or after a comma: a member or an element
    if (top.kind === 'object') {
      if (c !== '"') {
        problem = {
          offset: i,
          reason: i >= n ? describe(n) : c === close ? `a trailing comma before "${close}"` : `expected a property name in double quotes but found ${JSON.stringify(c)}`,
        };
        break;
      }
      problem = scanString();
      if (problem) break;
      skip();
      if (text[i] !== ':') {
        problem = { offset: i, reason: i >= n ? describe(n) : `expected ":" but found ${JSON.stringify(text[i])}` };
        break;
      }
      i++;
    } else if (c === close && top.state === 'comma') {
      problem = { offset: i, reason: `a trailing comma before "${close}"` };
      break;
    }
    const depth = stack.length;
    problem = scanValue();
    if (problem) break;
    if (stack.length === depth) top.state = 'value';
  }
  if (problem) return problem;
  skip();
  if (i < n) return { offset: i, reason: `unexpected ${JSON.stringify(text[i])} after the end of the JSON value` };
  return undefined;
}
