/**
 * Formatting for the bench's console output: fixed-width tables that stay readable in a terminal and in a
 * pasted note, plus the small statistics (median) the summary needs. No colours: output is often piped.
 */

/** Median of numbers, ignoring null/undefined/NaN; null when nothing is left. */
export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Round to `digits` decimals (null stays null), for the JSON line. */
export function round(value, digits = 2) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** 81234.5 → "81,235"; null → "–". */
export function int(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

/** Fixed decimals; null → "–". */
export function dec(value, digits = 2) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** Bytes → "123.4 MB" (MiB, as /proc reports kB = KiB). */
export function mb(bytes) {
  return typeof bytes === 'number' && bytes > 0 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : '–';
}

/**
 * A fixed-width table printer. Columns are declared once; rows can be printed one at a time as they are
 * measured (the header is printed by `header()`), so a long run shows progress without a progress bar.
 */
export class Table {
  /** @param {{ title: string, width: number, align?: 'left' | 'right' }[]} columns */
  constructor(columns) {
    this.columns = columns;
  }

  /** @param {(string | number)[]} cells */
  line(cells) {
    return this.columns
      .map((col, i) => {
        const text = String(cells[i] ?? '');
        return col.align === 'left' ? text.padEnd(col.width) : text.padStart(col.width);
      })
      .join('  ')
      .trimEnd();
  }

  header() {
    const head = this.line(this.columns.map((c) => c.title));
    return `${head}\n${'-'.repeat(head.length)}`;
  }
}
