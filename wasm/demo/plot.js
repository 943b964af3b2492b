// Drawing and number helpers shared by the demo's sections (demo.js,
// functions.js): canvas set-up, axes with ticks, lines, legends, and the
// readouts' number format. No model math lives here.

export const $ = (id) => document.getElementById(id);

export const COLORS = {
  density: "#1d4e89", hist: "#8fb8de", loss: "#1d4e89", grad: "#d9480f", data: "#495057",
  fit: "#1d4e89", truth: "#2b8a3e", axis: "#5b6675", grid: "#e6e9ee",
  draw: "#1d4e89", band: "rgba(143, 184, 222, 0.4)", map: "#d9480f",
};

/** Sizes the canvas to its CSS box at the device pixel ratio and clears it. */
export function setup(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(10, canvas.clientWidth);
  const h = Math.max(10, canvas.clientHeight);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

export function niceTicks(lo, hi, count = 5) {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count + 1) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export const fmtTick = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(0) : String(+v.toPrecision(4)));

/** The plot area's margins inside a canvas (axes() draws into the rest). */
export const MARGIN = { l: 48, r: 10, t: 10, b: 34 };

/**
 * Axes with ticks; returns the maps into the plot area (X, Y), their
 * inverses (toX, toY, for pointer events) and done() to end the clip.
 * xticks/xfmt override the x ticks and their labels (log axes).
 */
export function axes(ctx, w, h, xr, yr, { xlabel = "", ylabel = "", xticks = null, xfmt = fmtTick } = {}) {
  const m = MARGIN;
  const pw = w - m.l - m.r, ph = h - m.t - m.b;
  const X = (x) => m.l + ((x - xr[0]) / (xr[1] - xr[0])) * pw;
  const Y = (y) => h - m.b - ((y - yr[0]) / (yr[1] - yr[0])) * ph;
  const toX = (px) => xr[0] + ((px - m.l) / pw) * (xr[1] - xr[0]);
  const toY = (py) => yr[0] + ((h - m.b - py) / ph) * (yr[1] - yr[0]);
  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLORS.grid;
  ctx.fillStyle = COLORS.axis;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xticks ?? niceTicks(xr[0], xr[1], Math.max(3, Math.floor(w / 80)))) {
    ctx.beginPath();
    ctx.moveTo(X(t), m.t);
    ctx.lineTo(X(t), h - m.b);
    ctx.stroke();
    const label = xfmt(t);
    const half = ctx.measureText(label).width / 2;
    ctx.fillText(label, Math.min(Math.max(X(t), half + 1), w - half - 1), h - m.b + 4);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of niceTicks(yr[0], yr[1], 4)) {
    ctx.beginPath();
    ctx.moveTo(m.l, Y(t));
    ctx.lineTo(w - m.r, Y(t));
    ctx.stroke();
    ctx.fillText(fmtTick(t), m.l - 4, Y(t));
  }
  ctx.strokeStyle = COLORS.axis;
  ctx.strokeRect(m.l, m.t, pw, ph);
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(xlabel, (m.l + w - m.r) / 2, h - 2);
  if (ylabel) {
    ctx.save();
    ctx.translate(11, (m.t + h - m.b) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(ylabel, 0, 0);
    ctx.restore();
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(m.l, m.t, pw, ph);
  ctx.clip();
  return { X, Y, toX, toY, done: () => ctx.restore() };
}

export function line(ctx, xs, ys, X, Y, color, width = 2, dash = []) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (let i = 0; i < xs.length; i++) {
    const px = X(xs[i]), py = Y(ys[i]);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

/**
 * A legend box in the top-right corner of the plot area; items are
 * [label, color, dash] or [label, color, dash, "dot"] for a marker.
 */
export function legend(ctx, w, items, { width = 150, top = MARGIN.t + 4 } = {}) {
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const x0 = w - MARGIN.r - width - 4;
  ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
  ctx.fillRect(x0 - 4, top, width + 4, items.length * 16 + 6);
  let y = top + 11;
  for (const [label, color, dash, kind] of items) {
    if (kind === "dot") {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(x0 + 10, y, 3.5, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.strokeStyle = color;
      ctx.lineWidth = 2.5;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x0 + 20, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = "#1b2430";
    ctx.fillText(label, x0 + 26, y);
    y += 16;
  }
}

/** A number as a readout shows it: `digits` significant digits, exponent form when very large or small. */
export function fmt(v, digits = 6) {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-4 && v !== 0)) return v.toExponential(digits - 1);
  return String(+v.toPrecision(digits));
}

/** Shows a number; data-value (and the tooltip) keep the exact double for tests and screen readers. */
export function setValue(id, v, digits = 6) {
  const el = $(id);
  el.dataset.value = String(v);
  el.textContent = fmt(v, digits);
  el.title = String(v);
}

/** The std the sampler uses for a stored precision: 1/sqrt(relu(precision) + 1e-8). */
export const stdEff = (prec) => 1 / Math.sqrt(Math.max(prec, 0) + 1e-8);
