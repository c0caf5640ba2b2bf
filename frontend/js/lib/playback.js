// The playback clock: where along the race the picture is, independent of how much of the
// race has arrived. Time is passed in (tick(dt)), so the tests drive it without a browser.

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10];

export class Playback {
  /** @param baseRate path steps per second at speed 1x */
  constructor(baseRate = 40) {
    this.baseRate = baseRate;
    this.cursor = 0; // fractional path index
    this.playing = false;
    this.speed = 1;
    this.buffering = false; // playing, but waiting for the stream
    this.loop = false; // at the end of a finished race, hold the last picture, then replay
    this.holdSeconds = 1.5;
    this.held = 0; // seconds spent holding the end (loop only)
    this.loops = 0; // how many times the race has been replayed
  }

  get step() {
    return Math.floor(this.cursor);
  }

  get rate() {
    return this.baseRate * this.speed;
  }

  /** Any positive speed; the page's bounds are the server's (applyLimits bounds the state). */
  setSpeed(speed) {
    const s = Number(speed);
    this.speed = Number.isFinite(s) && s > 0 ? s : 1;
  }

  /** Advance by dt seconds. `available` = last path index received; `final` = last index
   *  there will ever be (null while the race is still streaming). Returns true on a change. */
  tick(dt, available, final) {
    if (!this.playing) return false;
    const before = this.cursor;
    const target = this.cursor + Math.max(0, dt) * this.rate;
    if (target >= available) {
      this.cursor = Math.max(this.cursor, available);
      if (final !== null && final !== undefined && this.cursor >= final) {
        this.buffering = false;
        if (!this.loop) {
          this.playing = false; // the end: stop, a later play restarts from 0
        } else if (before >= final) {
          this.held += Math.max(0, dt);
          if (this.held >= this.holdSeconds) {
            this.cursor = 0; // replay the same race (its numbers are already here)
            this.held = 0;
            this.loops += 1;
          }
        } else {
          this.held = 0; // just arrived at the end: start holding
        }
      } else {
        this.buffering = true;
      }
    } else {
      this.cursor = target;
      this.buffering = false;
    }
    return this.cursor !== before || !this.playing;
  }

  /** Play; from the end of a finished race, play again from the start. */
  play(final) {
    if (final !== null && final !== undefined && this.cursor >= final) this.cursor = 0;
    this.playing = true;
  }

  pause() {
    this.playing = false;
    this.buffering = false;
    this.cursor = Math.floor(this.cursor); // a paused picture sits exactly on a step
  }

  toggle(final) {
    if (this.playing) this.pause();
    else this.play(final);
  }

  /** Single step forward/back (pauses). */
  stepBy(n, available) {
    this.pause();
    this.seek(this.step + n, available);
  }

  seek(k, available) {
    this.cursor = Math.max(0, Math.min(Math.round(k), Math.max(0, available)));
  }

  reset() {
    this.cursor = 0;
    this.buffering = false;
  }
}

/**
 * Pull-based streaming: the server computes only a little ahead of what is shown, so a
 * hyperparameter changed mid-run takes effect close to the step on screen. `want` says how
 * many more steps to ask for (a "step" message), or 0.
 */
export class StreamFlow {
  constructor({ frameSteps = 50, lookaheadSeconds = 1.2, minAhead = 40 } = {}) {
    this.frameSteps = frameSteps;
    this.lookaheadSeconds = lookaheadSeconds;
    this.minAhead = minAhead;
    this.outstanding = false;
  }

  /** How far ahead of the cursor the stream should be at this playback rate. */
  target(rate) {
    return Math.max(this.minAhead, Math.ceil(rate * this.lookaheadSeconds));
  }

  want(cursor, available, rate, totalSteps, complete) {
    if (this.outstanding || complete) return 0;
    const ahead = available - cursor;
    const target = this.target(rate);
    if (ahead >= target / 2) return 0;
    const left = Math.max(0, totalSteps - available);
    const n = Math.min(left, Math.max(this.frameSteps, Math.ceil(target - ahead)));
    return n > 0 ? n : 0;
  }

  sent() {
    this.outstanding = true;
  }

  /** The server said "paused" (the steps asked for are done) or the race ended. */
  settled() {
    this.outstanding = false;
  }
}
