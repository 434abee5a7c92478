// Progress view: one exercise's estimated 1RM per session as a chart (PR sessions marked), the next set's
// target and the last weeks' summary. The chart is a few lines of SVG drawn here, not a chart library:
// one series with markers needs no more, and the page stays without third-party code or a build step.

const SVG = "http://www.w3.org/2000/svg";
const W = 320;
const H = 160;
const PAD = { left: 40, right: 10, top: 12, bottom: 24 };

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draw points [{date, e1rm, workout_id}] with the PR sessions (a set of workout ids) marked. */
export function drawChart(svg, points, prWorkouts) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  if (!points.length) {
    svg.append(el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "chart-empty" }, "No sets yet"));
    return;
  }
  const values = points.map((p) => p.e1rm);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1) {
    lo -= 1;
    hi += 1;
  }
  const x = (i) => PAD.left + (points.length === 1 ? 0.5 : i / (points.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  svg.append(el("line", { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: "axis" }));
  svg.append(el("text", { x: PAD.left - 4, y: y(hi) + 4, "text-anchor": "end", class: "tick" }, Math.round(hi)));
  svg.append(el("text", { x: PAD.left - 4, y: y(lo) + 4, "text-anchor": "end", class: "tick" }, Math.round(lo)));
  svg.append(el("text", { x: PAD.left, y: H - 6, class: "tick" }, points[0].date));
  if (points.length > 1) {
    svg.append(el("text", { x: W - PAD.right, y: H - 6, "text-anchor": "end", class: "tick" }, points.at(-1).date));
  }
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.e1rm).toFixed(1)}`).join(" ");
  svg.append(el("path", { d: path, class: "line" }));
  points.forEach((p, i) => {
    const pr = prWorkouts.has(p.workout_id);
    const dot = el("circle", { cx: x(i), cy: y(p.e1rm), r: pr ? 5 : 3, class: pr ? "pr-marker" : "dot" });
    dot.append(el("title", {}, `${p.date}: ${p.e1rm}${pr ? " (PR)" : ""}`));
    svg.append(dot);
  });
}

export class Progress {
  constructor({ api, form, input, name, chart, next, weekly, panel }) {
    Object.assign(this, { api, form, input, name, chart, next, weekly, panel });
    this.exerciseId = null;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.find(input.value.trim());
    });
  }

  async find(query) {
    if (!query) return;
    const found = await this.api.searchExercises(query);
    const best = (found && found.results ? found.results : found || [])[0];
    if (!best) {
      this.name.textContent = `No exercise matches "${query}".`;
      return;
    }
    await this.show(best.id);
  }

  async show(exerciseId) {
    this.exerciseId = exerciseId;
    this.panel.hidden = false;
    const [data, summary] = await Promise.all([
      this.api.request("GET", `/v1/progress?${new URLSearchParams({ exercise_id: exerciseId, range: "1y" })}`),
      this.api.request("GET", "/v1/analytics?range=4w"),
    ]);
    this.name.textContent = `${exerciseId.replaceAll("_", " ")}: estimated 1RM (${data.formula}), ${data.unit}`;
    this.chart.dataset.points = String(data.points.length);
    this.chart.dataset.prs = String(data.prs.length);
    drawChart(this.chart, data.points, new Set(data.prs.map((p) => p.workout_id)));
    const t = data.next;
    this.next.textContent =
      t.weight != null || t.reps != null
        ? `Next set: ${t.weight != null ? `${t.weight} ${t.unit}` : "bodyweight"} × ${t.reps}` +
          (t.modifier_percent ? ` (${t.modifier_percent > 0 ? "+" : ""}${t.modifier_percent}%)` : "")
        : "Next set: no history yet.";
    this.weekly.replaceChildren(
      ...summary.weekly_summary
        .slice()
        .reverse()
        .map((w) => {
          const li = document.createElement("li");
          li.textContent = `Week of ${w.week_start}: ${w.sets} sets, ${w.reps} reps, ${w.tonnage} ${w.unit}`;
          return li;
        }),
    );
  }
}
