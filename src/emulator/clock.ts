/**
 * The emulator's clock. Every timestamp the emulator writes comes from here, so a time
 * scale above 1 makes schedules pass faster while all timestamps stay consistent.
 */
export class Clock {
  private anchorReal: number;
  private anchorEmu: number;

  /** `realNow` is the wall clock it follows; tests pass their own. */
  constructor(
    private scale = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.anchorReal = realNow();
    this.anchorEmu = this.anchorReal;
  }

  now(): number {
    return Math.round(this.anchorEmu + (this.realNow() - this.anchorReal) * this.scale);
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Changes the speed from now on; time already passed is kept. */
  setTimeScale(scale: number): void {
    const now = this.now();
    this.anchorReal = this.realNow();
    this.anchorEmu = now;
    this.scale = scale;
  }

  /** Jumps emulated time forward by `ms` at once. */
  advance(ms: number): void {
    this.anchorEmu += ms;
  }

  /** Real milliseconds until emulated time reaches `emuMs`. */
  realDelayUntil(emuMs: number): number {
    return Math.max(0, (emuMs - this.now()) / this.scale);
  }
}
