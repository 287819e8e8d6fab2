import { OUTPUT_HIGH_WATER_BYTES, OUTPUT_LOW_WATER_BYTES } from "@drydock/protocol";

/**
 * Counts bytes sent but not yet acknowledged by the receiver and says when the
 * source must pause or may resume (hysteresis between two water marks).
 */
export class OutputFlow {
  private unacknowledged = 0;
  private paused = false;

  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
    private readonly high = OUTPUT_HIGH_WATER_BYTES,
    private readonly low = OUTPUT_LOW_WATER_BYTES,
  ) {}

  sent(bytes: number): void {
    this.unacknowledged += bytes;
    if (!this.paused && this.unacknowledged >= this.high) {
      this.paused = true;
      this.pause();
    }
  }

  acknowledged(bytes: number): void {
    this.unacknowledged = Math.max(0, this.unacknowledged - bytes);
    if (this.paused && this.unacknowledged <= this.low) {
      this.paused = false;
      this.resume();
    }
  }

  get pending(): number {
    return this.unacknowledged;
  }
}
