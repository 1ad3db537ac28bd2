import type { DestinationStream } from '../../src/observability/log.ts';

/** A log destination that keeps every line the server writes, for tests to parse. */
export class CapturedLog implements DestinationStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  /** Every line parsed as JSON (a line that is not JSON fails the test). */
  entries(): Array<Record<string, any>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, any>);
  }

  /** The lines of one event (`operation`, `upstream_failure`, `start`, `stop`). */
  events(event: string): Array<Record<string, any>> {
    return this.entries().filter((e) => e.event === event);
  }

  clear(): void {
    this.lines.length = 0;
  }
}
