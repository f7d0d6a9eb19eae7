/**
 * Globals of the Postman sandbox that Node also has. Kept apart from pm.d.ts so
 * that Node-side code and tests can include pm.d.ts (the pm API types) without
 * clashing with @types/node.
 */
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

declare function setTimeout(callback: () => void, ms: number): unknown;
