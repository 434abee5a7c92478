// The correction dialog: an exercise picker fed by GET /v1/exercises?q= and the set's number fields.
// Saving sends only what changed, as PATCH /v1/sets/{id}.

const NUMBER_FIELDS = [
  ["reps", "f-reps", "int"],
  ["weight", "f-weight", "float"],
  ["rpe", "f-rpe", "float"],
  ["duration_s", "f-duration", "int"],
];
const SEARCH_DELAY_MS = 200;
const MAX_CHOICES = 8;

export class Editor {
  /**
   * @param {{api: import("./api.js").Api, onSaved: (set: object) => void,
   *          onDeleted: (set: object) => void, defaultUnit: () => string}} deps
   */
  constructor({ api, onSaved, onDeleted, defaultUnit }) {
    this.api = api;
    this.defaultUnit = defaultUnit;
    this.onSaved = onSaved;
    this.onDeleted = onDeleted;
    this.dialog = document.getElementById("editor");
    this.form = document.getElementById("editor-form");
    this.query = document.getElementById("ex-query");
    this.results = document.getElementById("ex-results");
    this.current = document.getElementById("ex-current");
    this.error = document.getElementById("editor-error");
    this.unit = document.getElementById("f-unit");
    this.set = null;
    this.chosen = null; // {id, name} picked in the list, or null for "unchanged"
    this.searchTimer = null;
    this.searchSeq = 0;

    this.query.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.search(this.query.value.trim()), SEARCH_DELAY_MS);
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.save();
    });
    document.getElementById("editor-cancel").addEventListener("click", () => this.dialog.close());
    document.getElementById("editor-delete").addEventListener("click", () => this.remove());
  }

  open(set, alternatives) {
    this.set = set;
    this.chosen = null;
    this.error.textContent = "";
    this.query.value = "";
    this.current.textContent = set.exercise ? `Now: ${set.exercise.name}` : "Now: no exercise";
    for (const [field, id] of NUMBER_FIELDS) {
      const v = set[field];
      document.getElementById(id).value = v === null || v === undefined ? "" : String(v);
    }
    this.unit.value = set.unit || "";
    // the recogniser's runners-up are the likeliest fixes, so they are offered before any typing
    this.showChoices((alternatives || []).slice(0, MAX_CHOICES));
    this.dialog.showModal();
  }

  async search(q) {
    const seq = ++this.searchSeq;
    if (!q) {
      this.showChoices([]);
      return;
    }
    try {
      const hits = await this.api.searchExercises(q);
      if (seq === this.searchSeq) this.showChoices((hits || []).slice(0, MAX_CHOICES));
    } catch (err) {
      if (seq === this.searchSeq) this.error.textContent = err.message;
    }
  }

  showChoices(choices) {
    const items = choices.map((c) => {
      const li = document.createElement("li");
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "choice";
      btn.setAttribute("role", "option");
      btn.dataset.exerciseId = c.id;
      btn.textContent = c.name;
      const selected = this.chosen !== null && this.chosen.id === c.id;
      btn.setAttribute("aria-selected", String(selected));
      btn.addEventListener("click", () => {
        this.chosen = { id: c.id, name: c.name };
        this.current.textContent = `New: ${c.name}`;
        this.results.querySelectorAll(".choice").forEach((b) => {
          b.setAttribute("aria-selected", String(b.dataset.exerciseId === c.id));
        });
      });
      li.append(btn);
      return li;
    });
    this.results.replaceChildren(...items);
  }

  /** The changed fields, or a message saying which input is wrong. */
  changes() {
    const set = this.set;
    const out = {};
    if (this.chosen && (!set.exercise || this.chosen.id !== set.exercise.id))
      out.exercise_id = this.chosen.id;
    for (const [field, id, kind] of NUMBER_FIELDS) {
      const input = document.getElementById(id);
      const raw = input.value.trim();
      let v = null;
      if (raw !== "") {
        v = Number(raw);
        if (!Number.isFinite(v) || (kind === "int" && !Number.isInteger(v)) || !input.checkValidity()) {
          return { error: `${input.parentElement.firstChild.textContent.trim()} is not valid.` };
        }
      }
      const before = set[field] === undefined ? null : set[field];
      if (v !== before) out[field] = v;
    }
    let unit = this.unit.value || null;
    // a weight always has a unit: one typed onto a bodyweight set takes the lifter's default
    const weight = "weight" in out ? out.weight : set.weight;
    if (weight !== null && weight !== undefined && unit === null) unit = this.defaultUnit();
    if (weight === null || weight === undefined) unit = null;
    if (unit !== (set.unit || null)) out.unit = unit;
    return { fields: out };
  }

  async remove() {
    const set = this.set;
    try {
      await this.api.deleteSet(set.id);
    } catch (err) {
      if (err.status !== 404) {
        this.error.textContent = err.message;
        return;
      }
    }
    this.dialog.close();
    this.onDeleted(set);
  }

  async save() {
    const { fields, error } = this.changes();
    if (error) {
      this.error.textContent = error;
      return;
    }
    if (Object.keys(fields).length === 0) {
      this.dialog.close();
      return;
    }
    const button = document.getElementById("editor-save");
    button.disabled = true;
    try {
      const updated = await this.api.patchSet(this.set.id, fields);
      this.dialog.close();
      this.onSaved(updated);
    } catch (err) {
      this.error.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }
}
