// The workout's set list: kept by id, newest first, each a large button that opens the editor.

const CONF_KEY = "voicelog.confidence";
const CONF_KEEP = 500;
const LOW_CONFIDENCE = 0.7;

function fmtNumber(n) {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/** "225 lb × 5 · RPE 8" / "60 s" / "× 12": what a lifter reads at a glance. */
export function describe(set) {
  const parts = [];
  let load = "";
  if (set.weight !== null && set.weight !== undefined)
    load = `${fmtNumber(set.weight)} ${set.unit || ""}`.trim();
  if (set.reps !== null && set.reps !== undefined) load = load ? `${load} × ${set.reps}` : `× ${set.reps}`;
  if (load) parts.push(load);
  if (set.duration_s !== null && set.duration_s !== undefined) parts.push(`${set.duration_s} s`);
  if (set.rpe !== null && set.rpe !== undefined) parts.push(`RPE ${fmtNumber(set.rpe)}`);
  return parts.join(" · ") || "no numbers";
}

export class SetList {
  /** @param {{list: HTMLElement, empty: HTMLElement, onOpen: (set: object) => void}} els */
  constructor({ list, empty, onOpen }) {
    this.list = list;
    this.empty = empty;
    this.onOpen = onOpen;
    this.sets = new Map(); // id -> LoggedSet
    this.extra = new Map(); // id -> {alternatives} from the logging event, for the editor
    this.confidence = loadConfidence();
  }

  clear() {
    this.sets.clear();
    this.extra.clear();
    this.render();
  }

  replaceAll(sets) {
    this.sets.clear();
    sets.forEach((s) => this.sets.set(s.id, s));
    this.render();
  }

  /** Adds or replaces sets; `parsed` is the ParsedSet they came from, when known. */
  upsert(sets, parsed) {
    for (const s of sets) {
      this.sets.set(s.id, s);
      if (parsed) {
        this.confidence[s.id] = parsed.confidence;
        this.extra.set(s.id, { alternatives: parsed.alternatives || [] });
      }
    }
    if (parsed) saveConfidence(this.confidence);
    this.render();
  }

  remove(id) {
    this.sets.delete(id);
    this.render();
  }

  get(id) {
    return this.sets.get(id);
  }

  ordered() {
    return [...this.sets.values()].sort((a, b) => {
      const t = String(a.created_at).localeCompare(String(b.created_at));
      return t !== 0 ? t : (a.set_number || 0) - (b.set_number || 0);
    });
  }

  last() {
    const all = this.ordered();
    return all.length ? all[all.length - 1] : null;
  }

  render() {
    const all = this.ordered().reverse();
    this.empty.hidden = all.length > 0;
    const items = all.map((set) => this.item(set));
    this.list.replaceChildren(...items);
  }

  item(set) {
    const li = document.createElement("li");
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "set";
    btn.dataset.setId = set.id;
    const name = set.exercise ? set.exercise.name : "Unknown exercise";
    const conf = this.confidence[set.id];
    const details = describe(set);

    const main = document.createElement("span");
    main.className = "set-main";
    const title = document.createElement("span");
    title.className = "set-name";
    title.textContent = name;
    const line = document.createElement("span");
    line.className = "set-details";
    line.textContent = details;
    main.append(title, line);

    const side = document.createElement("span");
    side.className = "set-side";
    const num = document.createElement("span");
    num.className = "set-number";
    num.textContent = set.set_number ? `#${set.set_number}` : "";
    side.append(num);
    if (typeof conf === "number") {
      const badge = document.createElement("span");
      badge.className = conf < LOW_CONFIDENCE ? "conf low" : "conf";
      badge.textContent = `${Math.round(conf * 100)}%`;
      badge.title = "How sure the server was";
      side.append(badge);
    }
    if (set.corrected) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = "corrected";
      side.append(tag);
    }
    btn.append(main, side);
    const confText = typeof conf === "number" ? `, ${Math.round(conf * 100)} percent sure` : "";
    btn.setAttribute(
      "aria-label",
      `${name}, ${details}${confText}${set.corrected ? ", corrected" : ""}. Tap to correct.`,
    );
    btn.addEventListener("click", () => this.onOpen(set));
    li.append(btn);
    return li;
  }
}

function loadConfidence() {
  try {
    return JSON.parse(localStorage.getItem(CONF_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

function saveConfidence(map) {
  const ids = Object.keys(map);
  // insertion order is chronological, so the oldest go first
  for (const id of ids.slice(0, Math.max(0, ids.length - CONF_KEEP))) delete map[id];
  try {
    localStorage.setItem(CONF_KEY, JSON.stringify(map));
  } catch {
    // storage full or disabled: the badge is a nicety, the set is on the server
  }
}
