/**
 * The bench's SVG chart (written next to the text table): the ratio app/bare of every round against SPEC §6's
 * target and goal, the CPU per request of both sides, and the headroom proof, so a run can be judged at a glance.
 * Plain SVG built from strings: no dependency, renders in a browser, on GitHub and in an IDE preview.
 */

const WIDTH = 760;
const LEFT = 170; // label column
const RIGHT = 40;
const PLOT = WIDTH - LEFT - RIGHT;
const BAR = 18;
const GAP = 8;

/** Escape text for SVG. */
function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

function text(x, y, content, { size = 12, anchor = 'start', weight = 'normal', fill = '#222' } = {}) {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="${anchor}" font-weight="${weight}" fill="${fill}">${esc(content)}</text>`;
}

function rect(x, y, w, h, fill) {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h}" fill="${fill}"/>`;
}

/**
 * @param {{ title: string, subtitle: string,
 *   ratios: { label: string, value: number | null, emphasis?: boolean }[],
 *   targets: { value: number, label: string, anchor?: 'start' | 'middle' | 'end' }[],
 *   cpu: { label: string, value: number | null, color: string }[],
 *   notes: { text: string, ok?: boolean | null }[] }} data
 * @returns {string} an SVG document
 */
export function benchChart({ title, subtitle, ratios, targets, cpu, notes }) {
  const parts = [];
  let y = 28;
  parts.push(text(16, y, title, { size: 16, weight: 'bold' }));
  y += 18;
  parts.push(text(16, y, subtitle, { size: 11, fill: '#555' }));
  y += 26;

  // --- ratios ---------------------------------------------------------------------------------------------
  parts.push(text(16, y, 'requests/s of the app ÷ bare Fastify (same run)', { size: 13, weight: 'bold' }));
  y += 24; // room for the axis labels above the bars
  const ratioMax = Math.max(1, ...ratios.map((r) => r.value ?? 0));
  const xOf = (v) => LEFT + (v / ratioMax) * PLOT;
  const top = y;
  for (const r of ratios) {
    const color = r.value === null ? '#bbb' : r.value >= targets[0].value ? '#2e7d32' : '#c62828';
    parts.push(text(LEFT - 8, y + BAR - 5, r.label, { anchor: 'end', weight: r.emphasis ? 'bold' : 'normal' }));
    parts.push(rect(LEFT, y, r.value === null ? 0 : xOf(r.value) - LEFT, BAR, r.emphasis ? color : `${color}99`));
    parts.push(
      text((r.value === null ? LEFT : xOf(r.value)) + 4, y + BAR - 5, r.value === null ? 'n/a' : r.value.toFixed(3), {
        weight: r.emphasis ? 'bold' : 'normal',
      }),
    );
    y += BAR + GAP;
  }
  for (const t of targets) {
    const x = xOf(t.value);
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${y - GAP + 4}" stroke="#555" stroke-dasharray="4 3"/>`,
    );
    parts.push(text(x, y + 10, t.label, { size: 10, anchor: t.anchor ?? 'middle', fill: '#555' }));
  }
  for (let v = 0; v <= ratioMax + 1e-9; v += 0.25) {
    parts.push(text(xOf(v), top - 6, v.toFixed(2), { size: 9, anchor: 'middle', fill: '#888' }));
  }
  y += 34;

  // --- CPU per request ------------------------------------------------------------------------------------
  parts.push(
    text(16, y, 'server CPU per request (µs, median of rounds; lower is better)', { size: 13, weight: 'bold' }),
  );
  y += 12;
  const cpuMax = Math.max(1, ...cpu.map((c) => c.value ?? 0));
  for (const c of cpu) {
    parts.push(text(LEFT - 8, y + BAR - 5, c.label, { anchor: 'end' }));
    const w = c.value === null ? 0 : (c.value / cpuMax) * PLOT * 0.85;
    parts.push(rect(LEFT, y, w, BAR, c.color));
    parts.push(text(LEFT + w + 4, y + BAR - 5, c.value === null ? 'n/a' : `${c.value.toFixed(1)} µs`));
    y += BAR + GAP;
  }
  y += 14;

  // --- notes (headroom proof, latency, start, memory) ----------------------------------------------------
  for (const n of notes) {
    const mark = n.ok === undefined ? '·' : n.ok === null ? '?' : n.ok ? '✓' : '✗';
    const fill = n.ok === undefined || n.ok === null ? '#333' : n.ok ? '#2e7d32' : '#c62828';
    parts.push(text(16, y, `${mark} ${n.text}`, { size: 11, fill }));
    y += 16;
  }
  y += 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
