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
    this.loaded = null;
    this.stream = null;
    this.source = null;
    this.node = null;
    this.sending = false;
    this.preroll = [];
    this.flushWaiters = [];
  }

  get isOpen() {
    return this.stream !== null;
  }

  /**
   * Creates the AudioContext and loads the worklet ahead of the first press, inside a user gesture
   * (starting a workout), so a press only has to open the microphone and the first word is not lost
   * to start-up. The context is suspended again until then; the microphone stays closed.
   */
  async prepare() {
    if (!navigator.mediaDevices || !window.AudioWorkletNode) {
      throw new Error("This browser cannot capture audio here (it needs HTTPS or localhost).");
    }
    if (!this.ctx) {
      const ctx = new AudioContext({ latencyHint: "interactive" });
      this.ctx = ctx;
      this.loaded = ctx.audioWorklet.addModule(new URL("./pcm-worklet.js", import.meta.url)).then(() => {
        if (!this.stream && ctx.state === "running") return ctx.suspend();
        return undefined;
      });
    }
    try {
      await this.loaded;
    } catch (err) {
      this.shutdown();
      throw err;
    }
  }

  /** Opens the microphone (in a user gesture: a press, or turning hands-free on). */
  async open() {
    await this.prepare();
    const ctx = this.ctx;
    if (ctx.state === "suspended") await ctx.resume();
    if (this.stream) return;
    // Raw signal: speech-to-text copes with gym noise better than with noise-suppression artifacts,
    // and nothing plays back, so there is no echo to cancel.
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: true },
    });
    if (this.ctx !== ctx) {
      stream.getTracks().forEach((t) => t.stop()); // closed while the permission prompt was up
      throw new Error("The microphone was closed.");
    }
    const node = new AudioWorkletNode(ctx, "pcm-s16le", {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions: { targetRate: SAMPLE_RATE, frameMs: FRAME_MS },
    });
    node.port.onmessage = (e) => this.receive(e.data);
    this.source = ctx.createMediaStreamSource(stream);
    this.source.connect(node);
    // The node writes silence; being connected keeps the graph pulling it in every browser.
    node.connect(ctx.destination);
    this.stream = stream;
    this.node = node;
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

  /** Closes the microphone; the prepared context stays, suspended, for the next press. */
  close() {
    this.sending = false;
    this.preroll = [];
    this.flushWaiters.forEach((resolve) => resolve());
    this.flushWaiters = [];
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    if (this.source) this.source.disconnect();
    if (this.node) this.node.disconnect();
    this.stream = null;
    this.source = null;
    this.node = null;
    if (this.ctx && this.ctx.state === "running") this.ctx.suspend();
    this.onLevel(0);
  }

  /** Closes the microphone and the audio context (page hidden, or start-up failed). */
  shutdown() {
    this.close();
    if (this.ctx) this.ctx.close();
    this.ctx = null;
    this.loaded = null;
  }
}
