// A site's telemetry in the embedded store: fixed-size rings of numbers, not objects. 48 h of 14
// sites as objects made a 120 MB heap whose garbage collections cost more than sampling itself;
// as rows in a Float64Array the garbage collector has nothing to trace and the size is fixed.

/** A ring of rows `[at, ...columns]`, oldest overwritten first; null is stored as NaN. */
export class PointRing {
  private readonly rows: Float64Array;
  private readonly stride: number;
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    this.stride = width + 1;
    this.rows = new Float64Array(capacity * this.stride);
  }

  /** Bytes this ring holds, whatever it contains. */
  get bytes(): number {
    return this.rows.byteLength;
  }

  get newestAt(): number | null {
    return this.count === 0 ? null : (this.rows[this.offset(this.count - 1)] as number);
  }

  push(at: number, columns: readonly (number | null)[]): void {
    const index = this.count < this.capacity ? this.count++ : this.advance();
    const offset = this.offset(index);
    this.rows[offset] = at;
    for (let c = 0; c < this.width; c++) this.rows[offset + 1 + c] = columns[c] ?? Number.NaN;
  }

  /** Rows with `at >= since`, oldest first. Rows are pushed in time order, so a scan from the end stops early. */
  read(since: number): { at: number; columns: (number | null)[] }[] {
    let first = this.count;
    while (first > 0 && (this.rows[this.offset(first - 1)] as number) >= since) first--;
    const result = [];
    for (let i = first; i < this.count; i++) {
      const offset = this.offset(i);
      const columns: (number | null)[] = [];
      for (let c = 0; c < this.width; c++) {
        const value = this.rows[offset + 1 + c] as number;
        columns.push(Number.isNaN(value) ? null : value);
      }
      result.push({ at: this.rows[offset] as number, columns });
    }
    return result;
  }

  private advance(): number {
    this.start = (this.start + 1) % this.capacity;
    return this.capacity - 1;
  }

  private offset(index: number): number {
    return ((this.start + index) % this.capacity) * this.stride;
  }
}
