// voicelog web page: token, workout, talk (hold or hands-free), live transcript, sets, corrections, undo.

import { Api } from "./api.js";
import { Editor } from "./editor.js";
import { Mic, SAMPLE_RATE } from "./mic.js";
import { describe, SetList } from "./sets.js";
import { Stream } from "./stream.js";

const KEY = {
  token: "voicelog.token",
  workout: "voicelog.workout",
  unit: "voicelog.unit",
  mode: "voicelog.mode",
};
// Keep listening briefly after release: people let go while still saying the last word.
const RELEASE_TAIL_MS = 250;

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
  mode: store.get(KEY.mode) === "free" ? "free" : "hold",
  stream: null,
  holding: false,
  listening: false, // hands-free is on
  speechOpen: false, // a partial arrived and its utterance is not final yet
  tailTimer: null,
  heardPeak: 0, // loudest frame sent since the last press: was anything said at all?
};
// About -40 dBFS: quieter than any speech close to a phone, louder than a quiet room.
const SPEECH_LEVEL = 0.01;

const api = new Api(() => state.token);
const sets = new SetList({ list: $("sets"), empty: $("sets-empty"), onOpen: (s) => openEditor(s) });
const editor = new Editor({
  api,
  defaultUnit: () => state.unit,
  onSaved: (updated) => {
    sets.upsert([updated]);
    toast(`Corrected: ${exerciseName(updated)} ${describe(updated)}`);
  },
  onDeleted: (gone) => {
    sets.remove(gone.id);
    updateUndo();
    toast(`Removed ${exerciseName(gone)} ${describe(gone)}`);
  },
});
const mic = new Mic({
  onFrame: (pcm) => state.stream && state.stream.sendAudio(pcm),
  onLevel: (rms) => {
    if (mic.sending) state.heardPeak = Math.max(state.heardPeak, rms);
    // speech sits around -30..-10 dBFS; map -60..0 dB onto the bar
    const db = rms > 0 ? 20 * Math.log10(rms) : -60;
    $("level-bar").style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
  },
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

function onLogged(parsed, logged) {
  const mine = (logged || []).filter((s) => !state.workout || s.workout_id === state.workout.id);
  showClarify(null);
  if (parsed && (parsed.intent === "correction" || parsed.intent === "undo")) {
    // these change sets logged earlier, so the workout itself is the truth to show
    refreshWorkout();
  } else {
    sets.upsert(mine, parsed);
  }
  if (mine.length) {
    const s = mine[mine.length - 1];
    const n = mine.length > 1 ? `${mine.length} sets: ` : "";
    toast(`Logged ${n}${exerciseName(s)} ${describe(s)}`);
  } else if (parsed && parsed.intent === "undo") {
    toast("Undone.");
  }
  updateUndo();
}

function onEvent(ev) {
  switch (ev.type) {
    case "ready":
      state.speechOpen = false; // a new session: nothing of the old one is pending here
      break;
    case "partial":
      state.speechOpen = true;
      showTranscript(ev.text, true);
      break;
    case "transcript":
      state.speechOpen = false;
      state.heardPeak = 0; // that speech is accounted for
      showTranscript(ev.text, false);
      break;
    case "logged":
      onLogged(ev.parsed, ev.sets);
      break;
    case "clarify":
      showClarify(ev.question, ev.parsed);
      break;
    case "corrected":
      if (ev.set) sets.upsert([ev.set]);
      break;
    case "error":
      if (ev.code === "no_speech") {
        // After real sound the server has already ended the utterance on its own silence detection
        // and its transcript is on the way; only a silent press deserves a hint.
        if (state.mode === "hold" && state.heardPeak < SPEECH_LEVEL)
          showTranscript("Didn't hear anything. Hold the button while you speak.", true);
      } else {
        toast(ev.message || ev.code || "The server reported an error.");
      }
      break;
    default:
      break;
  }
}

// ---- token and workout ------------------------------------------------------------------------

function showAuth(note) {
  $("auth-panel").hidden = false;
  $("auth-note").textContent = note || "";
  for (const id of ["workout-panel", "talk-panel", "sets-panel", "footer"]) $(id).hidden = true;
  stopListening();
  mic.shutdown();
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

function prepareMic() {
  // called from the Start/Resume tap: the one gesture that reliably comes before the first press
  mic.prepare().catch((err) => toast(`Microphone unavailable: ${err.message || err.name}`));
}

function openWorkout(workout) {
  state.workout = workout;
  store.set(KEY.workout, JSON.stringify({ id: workout.id, started_at: workout.started_at }));
  $("workout-info").textContent = `${workout.name || "Workout"} · ${clock(workout.started_at)}`;
  $("workout-panel").classList.add("workout-open");
  $("talk-panel").hidden = false;
  $("sets-panel").hidden = false;
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

async function refreshWorkout() {
  if (!state.workout) return;
  try {
    const w = await api.getWorkout(state.workout.id);
    sets.replaceAll(w.sets || []);
    updateUndo();
  } catch (err) {
    apiFailed(err);
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

// ---- talking ----------------------------------------------------------------------------------

function renderTalk() {
  const btn = $("talk");
  const on = state.mode === "free" ? state.listening : state.holding;
  btn.setAttribute("aria-pressed", String(on));
  btn.classList.toggle("live", on);
  $("talk-label").textContent =
    state.mode === "free"
      ? state.listening
        ? "Listening — tap to stop"
        : "Start hands-free"
      : on
        ? "Listening…"
        : "Hold to talk";
}

async function openMic() {
  try {
    await mic.open();
    return true;
  } catch (err) {
    toast(`Microphone unavailable: ${err.message || err.name}`);
    return false;
  }
}

async function beginHold() {
  if (state.holding) return;
  state.holding = true;
  clearTimeout(state.tailTimer);
  state.tailTimer = null;
  renderTalk();
  if (!state.stream || !state.stream.isReady) toast("Not connected yet: this may not be heard.");
  if (!(await openMic())) {
    state.holding = false;
    renderTalk();
    return;
  }
  if (state.holding || state.tailTimer !== null) {
    state.heardPeak = 0;
    showTranscript("Listening…", true);
    mic.startSending();
  }
}

function endHold() {
  if (!state.holding) return;
  state.holding = false;
  renderTalk();
  state.tailTimer = setTimeout(async () => {
    state.tailTimer = null;
    if (state.holding || !mic.sending) return;
    await mic.stopSending();
    if (state.stream) state.stream.send({ type: "end_utterance" });
  }, RELEASE_TAIL_MS);
}

async function startListening() {
  if (!(await openMic())) return;
  state.listening = true;
  state.heardPeak = 0;
  showTranscript("Listening…", true);
  mic.startSending();
  renderTalk();
}

async function stopListening() {
  if (!state.listening) return;
  state.listening = false;
  renderTalk();
  await mic.stopSending();
  // Sound since the last transcript may be an utterance the server is still in; without this it would
  // wait for silence that the muted page no longer sends.
  const pending = state.speechOpen || state.heardPeak >= SPEECH_LEVEL;
  if (pending && state.stream) state.stream.send({ type: "end_utterance" });
}

/** Ends whatever is being said, then closes the microphone. */
async function releaseMic() {
  await stopListening();
  clearTimeout(state.tailTimer);
  state.tailTimer = null;
  if (state.holding || mic.sending) {
    state.holding = false;
    await mic.stopSending();
    if (state.stream) state.stream.send({ type: "end_utterance" });
  }
  mic.shutdown();
  renderTalk();
}

function setMode(mode) {
  if (mode === state.mode) return;
  stopListening();
  endHold();
  state.mode = mode;
  store.set(KEY.mode, mode);
  renderTalk();
}

function wireTalkButton() {
  const btn = $("talk");
  btn.addEventListener("pointerdown", (e) => {
    if (state.mode !== "hold" || e.button !== 0) return;
    e.preventDefault();
    btn.setPointerCapture(e.pointerId);
    beginHold();
  });
  for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
    btn.addEventListener(type, () => state.mode === "hold" && endHold());
  }
  // a long press must not open the phone's context menu or select text
  btn.addEventListener("contextmenu", (e) => e.preventDefault());
  btn.addEventListener("keydown", (e) => {
    if (state.mode !== "hold" || (e.key !== " " && e.key !== "Enter")) return;
    e.preventDefault();
    if (!e.repeat) beginHold();
  });
  btn.addEventListener("keyup", (e) => {
    if (state.mode === "hold" && (e.key === " " || e.key === "Enter")) endHold();
  });
  btn.addEventListener("click", () => {
    if (state.mode !== "free") return;
    if (state.listening) stopListening();
    else startListening();
  });
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
    prepareMic();
    try {
      openWorkout(await api.startWorkout());
    } catch (err) {
      apiFailed(err);
    }
  });
  $("resume-workout").addEventListener("click", async () => {
    const last = readLastWorkout();
    if (!last) return;
    prepareMic();
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
    radio.checked = radio.value === state.mode;
    radio.addEventListener("change", () => radio.checked && setMode(radio.value));
  }
  wireTalkButton();
  renderTalk();

  $("type-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("typed").value.trim();
    if (!text || !state.workout) return;
    $("typed").value = "";
    if (state.stream && state.stream.send({ type: "text", text })) return;
    try {
      const r = await api.logText(state.workout.id, text, state.unit);
      onLogged(r.parsed, r.sets);
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
      sets.remove(last.id);
      toast(`Removed ${exerciseName(last)} ${describe(last)}`);
    } catch (err) {
      if (err.status === 404) sets.remove(last.id);
      else apiFailed(err);
    } finally {
      updateUndo();
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden") return;
    // a locked phone or another app: release the microphone rather than listen unseen
    releaseMic();
  });

  if (state.token) showApp();
  else showAuth("");
}

init();
