import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, injectIntoCollection } from '../../build/inject.ts';

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const bundle = { code: 'pre();\n', afterResponse: 'after();\n', version: '9.9.9' };

function collection(events?: unknown[]) {
  return { info: { name: 'c', schema: V21 }, item: [], ...(events ? { event: events } : {}) } as Record<string, any>;
}

describe('inject installs the post-response (401 recovery) script', () => {
  it('adds a marker-delimited block in a new test event', () => {
    const c = collection();
    const changes = injectIntoCollection(c, bundle, { tokenUrl: 'https://a.example/token' }, 'c.json');
    expect(changes).toContain('collection post-response script: added');
    expect(c['event'][1]).toEqual({
      listen: 'test',
      script: {
        type: 'text/javascript',
        exec: [expect.stringMatching(new RegExp(`^${BEGIN_MARKER.replace(/[/>]/g, '\\$&')} 9\\.9\\.9: generated`)), 'after();', `${END_MARKER} 9.9.9`],
      },
    });
  });

  it('puts the block before the user\'s own collection test script, keeps it, and replaces the block on a re-run', () => {
    const c = collection([{ listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('mine', () => {});"] } }]);
    injectIntoCollection(c, bundle, { tokenUrl: 'https://a.example/token' }, 'c.json');
    const once = JSON.stringify(c);
    expect(c['event'].find((e: any) => e.listen === 'test').script.exec.slice(-2)).toEqual([`${END_MARKER} 9.9.9`, "pm.test('mine', () => {});"]);
    const changes = injectIntoCollection(c, { ...bundle, afterResponse: 'after2();\n' }, {}, 'c.json');
    expect(changes).toContain('collection post-response script: replaced the postman-oauth-kit block');
    const exec = c['event'].find((e: any) => e.listen === 'test').script.exec as string[];
    expect(exec.filter((l) => l.startsWith(BEGIN_MARKER))).toHaveLength(1);
    expect(exec).toContain('after2();');
    expect(exec).not.toContain('after();');
    expect(exec.at(-1)).toBe("pm.test('mine', () => {});");
    expect(JSON.stringify(c)).not.toBe(once);
  });

  it('a bundle without a post-response script leaves the test event alone', () => {
    const c = collection([{ listen: 'test', script: { exec: ['mine();'] } }]);
    injectIntoCollection(c, { code: 'pre();', version: '1' }, { tokenUrl: 'https://a.example/token' }, 'c.json');
    expect(c['event'].find((e: any) => e.listen === 'test')).toEqual({ listen: 'test', script: { exec: ['mine();'] } });
  });
});
