/**
 * The emulator's clock. Every timestamp the emulator writes comes from here, so a time
 * scale above 1 makes schedules pass faster while all timestamps stay consistent.
 */
export class Clock {
  private anchorReal = Date.now();
  private anchorEmu = this.anchorReal;

  constructor(private scale = 1) {}

  now(): number {
    return Math.round(this.anchorEmu + (Date.now() - this.anchorReal) * this.scale);
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Changes the speed from now on; time already passed is kept. */
  setTimeScale(scale: number): void {
    const now = this.now();
    this.anchorReal = Date.now();
    this.anchorEmu = now;
    this.scale = scale;
  }

  /** Real milliseconds until emulated time reaches `emuMs`. */
  realDelayUntil(emuMs: number): number {
    return Math.max(0, (emuMs - this.now()) / this.scale);
  }
}
