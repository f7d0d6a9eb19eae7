import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineColumn } from '../../build/json-file.ts';
import { locateJsonError } from '../../build/json-locate.ts';

describe('locateJsonError', () => {
  it.each([
    ['{"a": 1,}', 8, 'a trailing comma before "}"'],
    ['[1, 2,]', 6, 'a trailing comma before "]"'],
    ['{"a" 1}', 5, 'expected ":" but found "1"'],
    ['{a: 1}', 1, 'expected a property name in double quotes but found "a"'],
    ['{"a": 1 "b": 2}', 8, 'expected "," or "}" but found "\\""'],
    ['{"a": "x', 8, 'the file ends early (truncated?)'],
    ['{"a": [1, 2', 11, 'the file ends early (truncated?)'],
    ['{"a": "b\nc"}', 8, 'a control character (such as a line break) inside a string'],
    ['{"a": "\\q"}', 7, 'invalid escape "\\q" in a string'],
    ['{} x', 3, 'unexpected "x" after the end of the JSON value'],
    ['', 0, 'the file ends early (truncated?)'],
    ['{"a": tru}', 6, 'unexpected "t" where a value should be'],
  ])('%j -> offset %d: %s', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toEqual({ offset, reason });
  });

  it('accepts everything JSON.stringify produces', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(locateJsonError(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('finds a problem in every truncation JSON.parse rejects', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, cut) => {
        const text = JSON.stringify(value);
        const truncated = text.slice(0, cut % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(truncated);
        } catch {
          valid = false;
        }
        expect(locateJsonError(truncated) === undefined).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });

  it('survives deep nesting without recursion', () => {
    expect(locateJsonError('['.repeat(100_000))).toEqual({ offset: 100_000, reason: 'the file ends early (truncated?)' });
  });

  it('lineColumn counts from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
