// Microphone capture: getUserMedia -> AudioWorklet -> 16 kHz PCM s16le frames of ~40 ms.

export const SAMPLE_RATE = 16000;
const FRAME_MS = 40;
const FLUSH_WAIT_MS = 300;
const PREROLL_FRAMES = 8; // ~320 ms kept while not sending, so a press does not clip the first word

export class Mic {
  /** @param {{onFrame: (pcm: ArrayBuffer) => void, onLevel?: (rms: number) => void}} handlers */
  constructor({ onFrame, onLevel }) {
    this.onFrame = onFrame;
    this.onLevel = onLevel || (() => {});
    this.ctx = null;
    this.stream = null;
    this.node = null;
    this.sending = false;
    this.preroll = [];
    this.flushWaiters = [];
  }

  get isOpen() {
    return this.ctx !== null;
  }

  /** Opens the mic (must run inside a user gesture the first time, for the AudioContext). */
  async open() {
    if (this.ctx) {
      if (this.ctx.state === "suspended") await this.ctx.resume();
      return;
    }
    if (!navigator.mediaDevices || !window.AudioWorkletNode) {
      throw new Error("This browser cannot capture audio here (it needs HTTPS or localhost).");
    }
    // Raw signal: speech-to-text copes with gym noise better than with noise-suppression artifacts,
    // and nothing plays back, so there is no echo to cancel.
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: true },
    });
    const ctx = new AudioContext({ latencyHint: "interactive" });
    try {
      await ctx.audioWorklet.addModule(new URL("./pcm-worklet.js", import.meta.url));
      const node = new AudioWorkletNode(ctx, "pcm-s16le", {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        channelCount: 1,
        channelCountMode: "explicit",
        channelInterpretation: "speakers",
        processorOptions: { targetRate: SAMPLE_RATE, frameMs: FRAME_MS },
      });
      node.port.onmessage = (e) => this.receive(e.data);
      ctx.createMediaStreamSource(stream).connect(node);
      // The node writes silence; being connected keeps the graph pulling it in every browser.
      node.connect(ctx.destination);
      if (ctx.state === "suspended") await ctx.resume();
      this.ctx = ctx;
      this.stream = stream;
      this.node = node;
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      ctx.close();
      throw err;
    }
  }

  receive(msg) {
    if (msg.flushed) {
      const waiters = this.flushWaiters;
      this.flushWaiters = [];
      waiters.forEach((resolve) => resolve());
      return;
    }
    this.onLevel(msg.level);
    if (this.sending) {
      this.onFrame(msg.pcm);
    } else {
      this.preroll.push(msg.pcm);
      if (this.preroll.length > PREROLL_FRAMES) this.preroll.shift();
    }
  }

  /** Starts passing frames on, beginning with the pre-roll. */
  startSending() {
    if (this.sending) return;
    this.sending = true;
    const held = this.preroll;
    this.preroll = [];
    held.forEach((pcm) => this.onFrame(pcm));
  }

  /** Stops passing frames on after the worklet has handed over what it still holds. */
  async stopSending() {
    if (!this.sending) return;
    if (this.node) {
      const flushed = new Promise((resolve) => this.flushWaiters.push(resolve));
      this.node.port.postMessage("flush");
      // a suspended context may never answer; the tail is worth 40 ms, not a stuck button
      await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, FLUSH_WAIT_MS))]);
    }
    this.sending = false;
  }

  close() {
    this.sending = false;
    this.preroll = [];
    this.flushWaiters.forEach((resolve) => resolve());
    this.flushWaiters = [];
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    if (this.ctx) this.ctx.close();
    this.ctx = null;
    this.stream = null;
    this.node = null;
    this.onLevel(0);
  }
}
