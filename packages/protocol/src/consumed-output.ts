import { OUTPUT_REPORT_BYTES } from "./terminal";

/**
 * The receiver's side of "consumed" acks: counts what it has consumed and
 * reports it once there is OUTPUT_REPORT_BYTES of it.
 */
export class ConsumedOutput {
  private unreported = 0;

  constructor(
    private readonly report: (bytes: number) => void,
    private readonly every = OUTPUT_REPORT_BYTES,
  ) {}

  consumed(bytes: number): void {
    this.unreported += bytes;
    if (this.unreported < this.every) return;
    this.report(this.unreported);
    this.unreported = 0;
  }
}
