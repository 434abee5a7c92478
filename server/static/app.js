// voicelog web page: token, workout, talk (hold or hands-free), live transcript, sets, corrections, undo.

import { Api } from "./api.js";
import { Editor } from "./editor.js";
import { SAMPLE_RATE } from "./mic.js";
import { Progress } from "./progress.js";
import { describe, SetList } from "./sets.js";
import { Stream } from "./stream.js";
import { Talk } from "./talk.js";

const KEY = {
  token: "voicelog.token",
  workout: "voicelog.workout",
  unit: "voicelog.unit",
  mode: "voicelog.mode",
};

const $ = (id) => document.getElementById(id);
const store = {
  get: (k) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k, v) => {
    try {
      if (v === null) localStorage.removeItem(k);
      else localStorage.setItem(k, v);
    } catch {
      // private mode without storage: the page still works for this visit
    }
  },
};

const state = {
  token: store.get(KEY.token) || "",
  workout: null, // {id, started_at, ...}
  unit: store.get(KEY.unit) === "kg" ? "kg" : "lb",
  stream: null,
};

const api = new Api(() => state.token);
const sets = new SetList({ list: $("sets"), empty: $("sets-empty"), onOpen: (s) => openEditor(s) });
const editor = new Editor({
  api,
  defaultUnit: () => state.unit,
  onSaved: (updated) => {
    change({ upsert: [updated] });
    toast(`Corrected: ${exerciseName(updated)} ${describe(updated)}`);
  },
  onDeleted: (gone) => {
    change({ remove: gone.id });
    updateUndo();
    toast(`Removed ${exerciseName(gone)} ${describe(gone)}`);
  },
});
const progress = new Progress({
  api,
  panel: $("progress-panel"),
  form: $("progress-form"),
  input: $("progress-exercise"),
  name: $("progress-name"),
  chart: $("progress-chart"),
  next: $("progress-next"),
  weekly: $("weekly"),
});

function showProgress(exerciseId) {
  // the view follows the exercise just logged; a failure here must never disturb logging
  progress.show(exerciseId).catch(() => {});
}

const talk = new Talk({
  button: $("talk"),
  label: $("talk-label"),
  levelBar: $("level-bar"),
  mode: store.get(KEY.mode),
  stream: () => state.stream,
  onTranscript: (text) => showTranscript(text, true),
  onNotice: (message) => toast(message),
});

function exerciseName(set) {
  return set.exercise ? set.exercise.name : "Unknown exercise";
}

let toastTimer = null;
function toast(message) {
  const el = $("toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 4000);
}

// ---- connection state -------------------------------------------------------------------------

const STATE_TEXT = {
  offline: "Offline",
  connecting: "Connecting…",
  connected: "Connected",
  closed: "Offline",
  unauthorized: "Token rejected",
  rejected: "Workout unavailable",
};

let retryTimer = null;
function setConn(s, detail) {
  const el = $("conn");
  el.dataset.state = s;
  clearInterval(retryTimer);
  if (s === "reconnecting") {
    // Count down to the next attempt, so a lifter can tell a wait from a hang; a screen reader hears
    // "Reconnecting" once, not every second.
    const spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = "Reconnecting";
    const shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    el.replaceChildren(spoken, shown);
    const at = Date.now() + detail.delayMs;
    const tick = () => (shown.textContent = `Retry in ${Math.max(1, Math.ceil((at - Date.now()) / 1000))} s`);
    tick();
    retryTimer = setInterval(tick, 1000);
  } else {
    el.textContent = STATE_TEXT[s];
  }
  if (s === "unauthorized") showAuth("The server rejected this token. Paste a valid one.");
  if (s === "rejected") toast("The server refused this workout. Start a new one.");
}

function connect() {
  if (state.stream) state.stream.close();
  state.stream = null;
  if (!state.workout) {
    setConn("offline");
    return;
  }
  const stream = new Stream({
    workoutId: state.workout.id,
    token: state.token,
    unit: state.unit,
    sampleRate: SAMPLE_RATE,
    onEvent: (ev) => {
      if (stream !== state.stream) return;
      // after a reconnect, sets may have been logged or changed elsewhere while this page was away
      if (ev.type === "ready" && stream.readyCount++ > 0) refreshWorkout();
      onEvent(ev);
    },
    onState: (s, detail) => stream === state.stream && setConn(s, detail),
  });
  stream.readyCount = 0;
  state.stream = stream;
  stream.connect();
}

// ---- server events ----------------------------------------------------------------------------

function showTranscript(text, partial) {
  const el = $("transcript");
  el.textContent = text || "—";
  el.classList.toggle("partial", partial);
}

function showClarify(question, parsed) {
  const box = $("clarify");
  if (!question) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const q = document.createElement("p");
  q.className = "question";
  q.textContent = question;
  const items = [q];
  const alts = [...((parsed && parsed.alternatives) || [])];
  if (parsed && parsed.exercise) alts.unshift(parsed.exercise);
  if (alts.length) {
    const hint = document.createElement("p");
    hint.className = "note";
    hint.textContent = `Maybe: ${alts
      .slice(0, 3)
      .map((a) => a.name)
      .join(", ")}. Say it again or type it.`;
    items.push(hint);
  }
  box.replaceChildren(...items);
  box.hidden = false;
}

// What a beaten record is called when the set that beat it is logged (first-ever records are not news).
const PR_NAMES = {
  e1rm: "estimated 1RM",
  "1rm": "heaviest single",
  "3rm": "heaviest triple",
  "5rm": "heaviest five",
  volume_set: "set volume",
  volume_session: "session volume",
  reps_at_weight: "reps at this weight",
  duration: "longest hold",
};

function prNote(prs) {
  const beaten = (prs || []).filter((p) => p.previous_pr_id);
  if (!beaten.length) return "";
  const best = beaten.find((p) => p.pr_type === "e1rm") || beaten[0];
  const pct = best.improvement_percent != null ? ` +${best.improvement_percent}%` : "";
  return ` — PR! ${PR_NAMES[best.pr_type] || best.pr_type}${pct}`;
}

function onLogged(parsed, logged, prs) {
  const mine = (logged || []).filter((s) => !state.workout || s.workout_id === state.workout.id);
  showClarify(null);
  if (parsed && (parsed.intent === "correction" || parsed.intent === "undo")) {
    // these change sets logged earlier, so the workout itself is the truth to show
    refreshWorkout();
  } else {
    change({ upsert: mine, parsed });
  }
  if (mine.length) {
    const s = mine[mine.length - 1];
    const n = mine.length > 1 ? `${mine.length} sets: ` : "";
    toast(`Logged ${n}${exerciseName(s)} ${describe(s)}${prNote(prs)}`);
    if (s.exercise && s.exercise.id) showProgress(s.exercise.id);
  } else if (parsed && parsed.intent === "undo") {
    toast("Undone.");
  }
  updateUndo();
}

function onEvent(ev) {
  if (!talk.onEvent(ev)) return;
  switch (ev.type) {
    case "partial":
      showTranscript(ev.text, true);
      break;
    case "transcript":
      showTranscript(ev.text, false);
      break;
    case "logged":
      onLogged(ev.parsed, ev.sets, ev.prs);
      break;
    case "clarify":
      showClarify(ev.question, ev.parsed);
      break;
    case "corrected":
      if (ev.set) change({ upsert: [ev.set] });
      break;
    case "error":
      toast(ev.message || ev.code || "The server reported an error.");
      break;
    default:
      break;
  }
}

// ---- token and workout ------------------------------------------------------------------------

function showAuth(note) {
  $("auth-panel").hidden = false;
  $("auth-note").textContent = note || "";
  for (const id of ["workout-panel", "talk-panel", "sets-panel", "progress-panel", "footer"]) $(id).hidden = true;
  talk.release();
  if (state.stream) state.stream.close();
  state.stream = null;
  state.workout = null;
  sets.clear();
  $("start-workout").textContent = "Start workout";
  $("start-workout").removeAttribute("aria-label");
  $("start-workout").classList.add("primary");
  $("workout-panel").classList.remove("workout-open");
  $("workout-info").textContent = "No workout open.";
  setConn("offline");
}

function showApp() {
  $("auth-panel").hidden = true;
  $("workout-panel").hidden = false;
  $("footer").hidden = false;
  const last = readLastWorkout();
  const resumable = last && (!state.workout || state.workout.id !== last.id);
  $("resume-workout").hidden = !resumable;
  if (resumable) $("resume-workout").textContent = `Resume last workout (${clock(last.started_at)})`;
}

function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? "earlier"
    : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function readLastWorkout() {
  try {
    const w = JSON.parse(store.get(KEY.workout) || "null");
    return w && w.id ? w : null;
  } catch {
    return null;
  }
}

function openWorkout(workout) {
  state.workout = workout;
  store.set(KEY.workout, JSON.stringify({ id: workout.id, started_at: workout.started_at }));
  $("workout-info").textContent = `${workout.name || "Workout"} · ${clock(workout.started_at)}`;
  $("workout-panel").classList.add("workout-open");
  $("talk-panel").hidden = false;
  $("sets-panel").hidden = false;
  $("progress-panel").hidden = false;
  $("resume-workout").hidden = true;
  $("start-workout").textContent = "New";
  $("start-workout").setAttribute("aria-label", "New workout");
  $("start-workout").classList.remove("primary");
  sets.replaceAll(workout.sets || []);
  showTranscript("", false);
  showClarify(null);
  updateUndo();
  connect();
}

// While a refresh is in flight, the changes that arrive meanwhile (a set logged over the socket, a
// correction saved) are kept and replayed on top of its answer, which may predate them.
let changesDuringRefresh = null;

function applyChange(c) {
  if (c.upsert) sets.upsert(c.upsert, c.parsed);
  if (c.remove) sets.remove(c.remove);
}

function change(c) {
  applyChange(c);
  if (changesDuringRefresh) changesDuringRefresh.push(c);
}

async function refreshWorkout() {
  if (!state.workout) return;
  const workoutId = state.workout.id;
  const meanwhile = [];
  changesDuringRefresh = meanwhile;
  try {
    const w = await api.getWorkout(workoutId);
    if (!state.workout || state.workout.id !== workoutId) return;
    sets.replaceAll(w.sets || []);
    meanwhile.forEach(applyChange);
    updateUndo();
    // a count of finished refreshes, for anything (a test, a person in devtools) checking sync
    $("sets").dataset.refreshes = String(Number($("sets").dataset.refreshes || 0) + 1);
  } catch (err) {
    apiFailed(err);
  } finally {
    if (changesDuringRefresh === meanwhile) changesDuringRefresh = null;
  }
}

function apiFailed(err) {
  if (err.status === 401) showAuth("The server rejected this token. Paste a valid one.");
  else toast(err.message);
}

function updateUndo() {
  const empty = sets.last() === null;
  $("undo").disabled = empty;
  // the example sentence is for the first set; afterwards the screen belongs to the sets
  $("talk-hint").hidden = !empty;
}

function openEditor(set) {
  const extra = sets.extra.get(set.id);
  editor.open(set, extra ? extra.alternatives : []);
}

// ---- wiring -----------------------------------------------------------------------------------

function init() {
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) return;
    state.token = token;
    store.set(KEY.token, token);
    $("token-input").value = "";
    showApp();
  });
  $("change-token").addEventListener("click", () => showAuth(""));

  $("start-workout").addEventListener("click", async () => {
    talk.prepare();
    try {
      openWorkout(await api.startWorkout());
    } catch (err) {
      apiFailed(err);
    }
  });
  $("resume-workout").addEventListener("click", async () => {
    const last = readLastWorkout();
    if (!last) return;
    talk.prepare();
    try {
      openWorkout(await api.getWorkout(last.id));
    } catch (err) {
      if (err.status === 404) {
        store.set(KEY.workout, null);
        $("resume-workout").hidden = true;
        toast("That workout is gone. Start a new one.");
      } else {
        apiFailed(err);
      }
    }
  });

  $("unit").value = state.unit;
  $("unit").addEventListener("change", () => {
    state.unit = $("unit").value === "kg" ? "kg" : "lb";
    store.set(KEY.unit, state.unit);
    if (state.workout) connect(); // the unit travels in `start`, so the session restarts
  });

  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.checked = radio.value === talk.mode;
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      talk.setMode(radio.value);
      store.set(KEY.mode, talk.mode);
    });
  }

  $("type-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("typed").value.trim();
    if (!text || !state.workout) return;
    $("typed").value = "";
    if (state.stream && state.stream.send({ type: "text", text })) return;
    try {
      const r = await api.logText(state.workout.id, text, state.unit);
      onLogged(r.parsed, r.sets, r.prs);
      if (!r.sets || r.sets.length === 0)
        showClarify("Not sure what to log. Say it again or type it.", r.parsed);
    } catch (err) {
      apiFailed(err);
    }
  });

  $("undo").addEventListener("click", async () => {
    const last = sets.last();
    if (!last) return;
    $("undo").disabled = true;
    try {
      await api.deleteSet(last.id);
      change({ remove: last.id });
      toast(`Removed ${exerciseName(last)} ${describe(last)}`);
    } catch (err) {
      if (err.status === 404) change({ remove: last.id });
      else apiFailed(err);
    } finally {
      updateUndo();
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden") return;
    // a locked phone or another app: release the microphone rather than listen unseen
    talk.release();
  });

  if (state.token) showApp();
  else showAuth("");
}

init();
