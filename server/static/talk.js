// The talk button: hold-to-talk (press, speak, release -> end_utterance) or hands-free (the server's
// voice activity detection ends each utterance). Owns the microphone and what it sends.

import { Mic } from "./mic.js";

// Keep listening briefly after release: people let go while still saying the last word.
const RELEASE_TAIL_MS = 250;
// About -40 dBFS: quieter than any speech close to a phone, louder than a quiet room.
const SPEECH_LEVEL = 0.01;

export class Talk {
  /**
   * @param {{button: HTMLElement, label: HTMLElement, levelBar: HTMLElement, mode: string,
   *          stream: () => import("./stream.js").Stream | null, onTranscript: (text: string) => void,
   *          onNotice: (message: string) => void}} opts
   */
  constructor({ button, label, levelBar, mode, stream, onTranscript, onNotice }) {
    this.button = button;
    this.label = label;
    this.levelBar = levelBar;
    this.mode = mode === "free" ? "free" : "hold";
    this.stream = stream;
    this.onTranscript = onTranscript;
    this.onNotice = onNotice;
    this.holding = false;
    this.listening = false; // hands-free is on
    this.speechOpen = false; // a partial arrived and its utterance is not final yet
    this.tailTimer = null;
    this.heardPeak = 0; // loudest frame sent since the last press or transcript: was anything said?
    this.mic = new Mic({
      onFrame: (pcm) => {
        const s = this.stream();
        if (s) s.sendAudio(pcm);
      },
      onLevel: (rms) => this.level(rms),
    });
    this.wire();
    this.render();
  }

  level(rms) {
    if (this.mic.sending) this.heardPeak = Math.max(this.heardPeak, rms);
    // speech sits around -30..-10 dBFS; map -60..0 dB onto the bar
    const db = rms > 0 ? 20 * Math.log10(rms) : -60;
    this.levelBar.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
  }

  /** Bookkeeping from the server's events; returns false for a `no_speech` error not worth showing. */
  onEvent(ev) {
    if (ev.type === "ready") this.speechOpen = false; // a new session: nothing of the old one is pending
    if (ev.type === "partial") this.speechOpen = true;
    if (ev.type === "transcript") {
      this.speechOpen = false;
      this.heardPeak = 0; // that speech is accounted for
    }
    if (ev.type === "error" && ev.code === "no_speech") {
      // After real sound the server has already ended the utterance on its own silence detection
      // and its transcript is on the way; only a silent press deserves a hint.
      if (this.mode === "hold" && this.heardPeak < SPEECH_LEVEL) {
        this.onTranscript("Didn't hear anything. Hold the button while you speak.");
      }
      return false;
    }
    return true;
  }

  send(msg) {
    const s = this.stream();
    if (s) s.send(msg);
  }

  render() {
    const on = this.mode === "free" ? this.listening : this.holding;
    this.button.setAttribute("aria-pressed", String(on));
    this.button.classList.toggle("live", on);
    if (this.mode === "free") this.label.textContent = on ? "Listening — tap to stop" : "Start hands-free";
    else this.label.textContent = on ? "Listening…" : "Hold to talk";
  }

  /** Loads audio ahead of the first press; call from a tap (it creates the AudioContext). */
  prepare() {
    this.mic.prepare().catch((err) => this.onNotice(`Microphone unavailable: ${err.message || err.name}`));
  }

  async openMic() {
    try {
      await this.mic.open();
      return true;
    } catch (err) {
      this.onNotice(`Microphone unavailable: ${err.message || err.name}`);
      return false;
    }
  }

  async beginHold() {
    if (this.holding) return;
    this.holding = true;
    clearTimeout(this.tailTimer);
    this.tailTimer = null;
    this.render();
    const s = this.stream();
    if (!s || !s.isReady) this.onNotice("Not connected yet: this may not be heard.");
    if (!(await this.openMic())) {
      this.holding = false;
      this.render();
      return;
    }
    if (this.holding || this.tailTimer !== null) {
      this.heardPeak = 0;
      this.onTranscript("Listening…");
      this.mic.startSending();
    }
  }

  endHold() {
    if (!this.holding) return;
    this.holding = false;
    this.render();
    this.tailTimer = setTimeout(async () => {
      this.tailTimer = null;
      if (this.holding || !this.mic.sending) return;
      await this.mic.stopSending();
      this.send({ type: "end_utterance" });
    }, RELEASE_TAIL_MS);
  }

  async startListening() {
    if (!(await this.openMic())) return;
    this.listening = true;
    this.heardPeak = 0;
    this.onTranscript("Listening…");
    this.mic.startSending();
    this.render();
  }

  async stopListening() {
    if (!this.listening) return;
    this.listening = false;
    this.render();
    await this.mic.stopSending();
    // Sound since the last transcript may be an utterance the server is still in; without this it
    // would wait for silence that the muted page no longer sends.
    if (this.speechOpen || this.heardPeak >= SPEECH_LEVEL) this.send({ type: "end_utterance" });
  }

  /** Ends whatever is being said, then closes the microphone and its audio context. */
  async release() {
    await this.stopListening();
    clearTimeout(this.tailTimer);
    this.tailTimer = null;
    if (this.holding || this.mic.sending) {
      this.holding = false;
      await this.mic.stopSending();
      this.send({ type: "end_utterance" });
    }
    this.mic.shutdown();
    this.render();
  }

  setMode(mode) {
    if (mode === this.mode) return;
    this.stopListening();
    this.endHold();
    this.mode = mode;
    this.render();
  }

  wire() {
    const btn = this.button;
    const hold = () => this.mode === "hold";
    btn.addEventListener("pointerdown", (e) => {
      if (!hold() || e.button !== 0) return;
      e.preventDefault();
      btn.setPointerCapture(e.pointerId);
      this.beginHold();
    });
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      btn.addEventListener(type, () => hold() && this.endHold());
    }
    // a long press must not open the phone's context menu or select text
    btn.addEventListener("contextmenu", (e) => e.preventDefault());
    btn.addEventListener("keydown", (e) => {
      if (!hold() || (e.key !== " " && e.key !== "Enter")) return;
      e.preventDefault();
      if (!e.repeat) this.beginHold();
    });
    btn.addEventListener("keyup", (e) => {
      if (hold() && (e.key === " " || e.key === "Enter")) this.endHold();
    });
    btn.addEventListener("click", () => {
      if (this.mode !== "free") return;
      if (this.listening) this.stopListening();
      else this.startListening();
    });
  }
}
