// AudioWorklet processor: mono Float32 at the context's rate -> 16 kHz PCM s16le frames.
//
// Resampling happens here (not on the server) so the page always sends the one rate the contract
// requires every server to accept, and a third of the bytes of 48 kHz. A windowed-sinc low-pass runs
// before the linear interpolation so 48/44.1 kHz input does not alias into the speech band.

const TAPS = 63;

function lowpass(cutoff) {
  // cutoff in cycles per input sample (0 < cutoff < 0.5); Blackman-windowed sinc, unity DC gain
  const h = new Float32Array(TAPS);
  const mid = (TAPS - 1) / 2;
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w =
      0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (TAPS - 1));
    h[i] = sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < TAPS; i++) h[i] /= sum;
  return h;
}

class PcmS16leProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    const inRate = sampleRate; // global of the AudioWorkletGlobalScope
    // a context below 16 kHz (some headsets) is interpolated up: the server is told 16000 either way
    this.outRate = opts.targetRate || 16000;
    this.step = inRate / this.outRate;
    this.taps = this.step > 1 ? lowpass((0.45 * this.outRate) / inRate) : null;
    // history doubled so the convolution reads one contiguous window without a modulo per tap
    this.hist = new Float32Array(2 * TAPS);
    this.histAt = 0;
    this.prev = 0; // last filtered sample of the previous render quantum
    this.t = 0; // read position of the next output sample, relative to `prev`
    this.frameLen = Math.max(160, Math.round((this.outRate * (opts.frameMs || 40)) / 1000));
    this.frame = new Int16Array(this.frameLen);
    this.filled = 0;
    this.sumSq = 0;
    this.work = new Float32Array(129);
    this.port.onmessage = (e) => {
      if (e.data === "flush") {
        this.emit();
        this.port.postMessage({ flushed: true });
      }
    };
  }

  filter(x) {
    if (!this.taps) return x;
    const L = TAPS;
    this.hist[this.histAt] = x;
    this.hist[this.histAt + L] = x;
    this.histAt = (this.histAt + 1) % L;
    // window hist[histAt .. histAt+L-1] runs oldest -> newest; the kernel is symmetric
    let acc = 0;
    const h = this.taps;
    const base = this.histAt;
    for (let i = 0; i < L; i++) acc += h[i] * this.hist[base + i];
    return acc;
  }

  push(v) {
    const c = v > 1 ? 1 : v < -1 ? -1 : v;
    this.sumSq += c * c;
    this.frame[this.filled++] = c < 0 ? Math.round(c * 32768) : Math.round(c * 32767);
    if (this.filled === this.frameLen) this.emit();
  }

  emit() {
    if (this.filled === 0) return;
    const level = Math.sqrt(this.sumSq / this.filled);
    // The contract takes frames of 10 ms or more: a short flushed tail is padded with silence.
    const minLen = Math.round(this.outRate / 100);
    const pcm = new Int16Array(Math.max(this.filled, minLen));
    pcm.set(this.frame.subarray(0, this.filled));
    this.filled = 0;
    this.sumSq = 0;
    this.port.postMessage({ pcm: pcm.buffer, level }, [pcm.buffer]);
  }

  process(inputs) {
    const input = inputs[0];
    const ch = input && input[0];
    if (!ch) return true;
    const n = ch.length;
    if (this.work.length < n + 1) this.work = new Float32Array(n + 1);
    const buf = this.work;
    buf[0] = this.prev;
    for (let i = 0; i < n; i++) buf[i + 1] = this.filter(ch[i]);
    while (this.t < n) {
      const i = Math.floor(this.t);
      const frac = this.t - i;
      this.push(buf[i] + (buf[i + 1] - buf[i]) * frac);
      this.t += this.step;
    }
    this.t -= n;
    this.prev = buf[n];
    return true;
  }
}

registerProcessor("pcm-s16le", PcmS16leProcessor);
