import { describe, expect, it } from 'vitest';
import { expiryOf, isFresh, refreshMarginMs } from '../../scripts-src/expiry.ts';

describe('expiry arithmetic', () => {
  it('computes absolute expiry from expires_in seconds', () => {
    expect(expiryOf(1_000, 3600)).toBe(3_601_000);
    expect(expiryOf(0, 1.5)).toBe(1500);
  });

  it('uses the configured margin for long-lived tokens', () => {
    expect(refreshMarginMs(86_399_000, 60)).toBe(60_000);
    expect(refreshMarginMs(3_600_000, 60)).toBe(60_000);
  });

  it('caps the margin at 10% of the lifetime for short-lived tokens', () => {
    expect(refreshMarginMs(300_000, 60)).toBe(30_000);
    expect(refreshMarginMs(2_000, 60)).toBe(200);
    expect(refreshMarginMs(600_000, 60)).toBe(60_000);
  });

  it('a zero margin refreshes exactly at expiry', () => {
    expect(refreshMarginMs(10_000, 0)).toBe(0);
    expect(isFresh(9_999, 0, 10_000, 0)).toBe(true);
    expect(isFresh(10_000, 0, 10_000, 0)).toBe(false);
  });

  it('treats a token as fresh until the margin before expiry', () => {
    const obtainedAt = 0;
    const expiresAt = 3_600_000;
    expect(isFresh(3_539_999, obtainedAt, expiresAt, 60)).toBe(true);
    expect(isFresh(3_540_000, obtainedAt, expiresAt, 60)).toBe(false);
    expect(isFresh(4_000_000, obtainedAt, expiresAt, 60)).toBe(false);
  });

  it('a 2 s token is usable for 1.8 s', () => {
    expect(isFresh(1_799, 0, 2_000, 60)).toBe(true);
    expect(isFresh(1_800, 0, 2_000, 60)).toBe(false);
  });
});
