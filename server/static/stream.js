// The /v1/stream websocket: `start` on every (re)connect, events out, reconnects with backoff.

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
// Close codes after which retrying cannot help: the request, the token or the workout is wrong.
const FATAL_CODES = new Set([4400, 4401, 4403, 4404]);

export class Stream {
  /**
   * @param {{workoutId: string, token: string, unit: string, sampleRate: number,
   *          onEvent: (ev: object) => void, onState: (state: string, detail?: object) => void}} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.ready = false;
    this.onOnline = () => this.retryNow();
    window.addEventListener("online", this.onOnline);
  }

  url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = new URLSearchParams({ workout_id: this.opts.workoutId, token: this.opts.token });
    return `${proto}//${location.host}/v1/stream?${q}`;
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    this.ready = false;
    this.opts.onState("connecting");
    const ws = new WebSocket(this.url());
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          type: "start",
          sample_rate: this.opts.sampleRate,
          encoding: "pcm_s16le",
          unit: this.opts.unit,
        }),
      );
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return;
      let ev;
      try {
        ev = JSON.parse(e.data);
      } catch {
        return;
      }
      if (ev.type === "ready") {
        this.ready = true;
        this.attempt = 0;
        this.opts.onState("connected", ev);
      }
      this.opts.onEvent(ev);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      if (this.stopped) {
        this.opts.onState("closed");
      } else if (FATAL_CODES.has(e.code)) {
        this.stopped = true;
        this.opts.onState(e.code === 4401 ? "unauthorized" : "rejected", { code: e.code, reason: e.reason });
      } else {
        this.schedule();
      }
    };
  }

  schedule() {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    // jitter spreads out many clients that lost the same server at the same moment
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.opts.onState("reconnecting", { delayMs: delay, attempt: this.attempt });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  retryNow() {
    if (!this.stopped && this.timer !== null) this.connect();
  }

  get isReady() {
    return this.ready && this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  send(msg) {
    if (!this.isReady) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  sendAudio(pcm) {
    if (!this.isReady) return false;
    this.ws.send(pcm);
    return true;
  }

  /** Ends the session for good: asks the server to finish pending work, then closes. */
  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener("online", this.onOnline);
    const ws = this.ws;
    if (!ws) {
      this.opts.onState("closed");
      return;
    }
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: "stop" }));
      // the server closes after answering what remains; don't wait forever for it
      setTimeout(() => ws.readyState !== WebSocket.CLOSED && ws.close(1000), 3000);
    } else {
      ws.close(1000);
    }
  }
}
