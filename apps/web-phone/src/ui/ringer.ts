/**
 * The ring of an incoming call, made with Web Audio (no sound file to fetch): the Dutch ring
 * cadence, 425 Hz for 1 s every 5 s. An AudioContext may only start after a user gesture; the
 * page creates it on the sign-in click, so it can ring later without one.
 */
export class Ringer {
  #context: AudioContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Call from a user gesture (the sign-in). */
  prepare(): void {
    if (this.#context === undefined && typeof AudioContext === 'function') {
      this.#context = new AudioContext();
    }
  }

  start(): void {
    if (this.#timer !== undefined || this.#context === undefined) return;
    void this.#context.resume().catch(() => undefined);
    this.#burst();
    this.#timer = setInterval(() => this.#burst(), 5_000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #burst(): void {
    const context = this.#context;
    if (context === undefined) return;
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.frequency.value = 425;
    gain.gain.value = 0.15;
    tone.connect(gain).connect(context.destination);
    tone.start();
    tone.stop(context.currentTime + 1);
  }
}
