/**
 * An agent of the first terminal protocol acks each chunk; a page that
 * reports what it consumed acks none. The relay holds each chunk's ack and
 * calls it once the page's reports have covered that chunk, oldest first, so
 * the agent's flow control still waits on the page.
 */
export class HeldAcks {
  private readonly held: Array<{ bytes: number; ack: () => void }> = [];
  private credit = 0;

  hold(bytes: number, ack: () => void): void {
    this.held.push({ bytes, ack });
    this.release();
  }

  consumed(bytes: number): void {
    this.credit += bytes;
    this.release();
  }

  private release(): void {
    for (let next = this.held[0]; next && next.bytes <= this.credit; next = this.held[0]) {
      this.held.shift();
      this.credit -= next.bytes;
      next.ack();
    }
    // Reports count only what was sent; with nothing held, no credit is kept for chunks still to come.
    if (this.held.length === 0) this.credit = 0;
  }
}
