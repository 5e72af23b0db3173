import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../src/clock.js';
import { subjectMatches } from '../src/bus/bus.js';

describe('Clock', () => {
  it('advances a running clock by an offset', () => {
    const c = new Clock();
    const before = c.now();
    c.advance(60_000);
    assert.ok(c.now() - before >= 60_000 && c.now() - before < 61_000);
  });
  it('stands still when frozen and moves only when advanced', async () => {
    const c = new Clock();
    const at = c.freeze(1_000_000).frozenAt;
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(c.now(), at);
    c.advance(500);
    assert.equal(c.now(), 1_000_500);
    c.unfreeze();
    assert.ok(Math.abs(c.now() - 1_000_500) < 50);
  });
  it('tells listeners of every change', () => {
    const c = new Clock();
    const seen: number[] = [];
    c.onChange((s) => seen.push(s.offsetMs));
    c.advance(10);
    c.apply({ offsetMs: 99, frozenAt: null });
    assert.deepEqual(seen, [10, 99]);
  });
});

describe('subjectMatches', () => {
  it('matches NATS-style wildcards', () => {
    assert.ok(subjectMatches('sqs.available', 'sqs.available'));
    assert.ok(subjectMatches('sqs.*', 'sqs.available'));
    assert.ok(subjectMatches('sqs.>', 'sqs.a.b'));
    assert.ok(!subjectMatches('sqs.*', 'sqs.a.b'));
    assert.ok(!subjectMatches('sqs.>', 'sqs'));
    assert.ok(!subjectMatches('s3.*', 'sqs.available'));
  });
});
