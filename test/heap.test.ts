import { describe, expect, it } from 'vitest';
import { heapGrowthFlagGiven } from '../src/heap.ts';

describe("node's own heap growth flag", () => {
  it('is found in the arguments or NODE_OPTIONS, in either spelling and either form', () => {
    expect(heapGrowthFlagGiven(['--heap-growing-percent=50'], undefined)).toBe(true);
    expect(heapGrowthFlagGiven([], '--max-old-space-size=512 --heap_growing_percent=30')).toBe(true);
    expect(heapGrowthFlagGiven(['--heap-growing-percent', '40'], '')).toBe(true);
  });

  it('is not another flag that starts alike, nor absent', () => {
    expect(heapGrowthFlagGiven(['--max-old-space-size=512'], '--expose-gc')).toBe(false);
    expect(heapGrowthFlagGiven(['--heap-growing-percentage=5'], undefined)).toBe(false);
    expect(heapGrowthFlagGiven([], undefined)).toBe(false);
  });
});
