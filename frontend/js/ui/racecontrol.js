// The live race: sends start/step/set over the stream, keeps the received race in a
// RaceStore, and paces the server so it stays only a little ahead of the playback (a
// hyperparameter changed mid-run then takes effect near the step on screen).

import { RaceStore } from '../lib/frames.js';
import { Playback, StreamFlow } from '../lib/playback.js';
import { StreamClient } from '../net/stream.js';

const FRAME_STEPS = 50;

export class RaceControl {
  /** handlers: {started(race), frame(race), retuned(msg), done(race), error(message, code), connection(status)} */
  constructor(handlers) {
    this.h = handlers;
    this.race = null;
    this.playback = new Playback(40);
    this.flow = new StreamFlow({ frameSteps: FRAME_STEPS });
    this.pendingStart = null;
    // A link's step (k=390) to show once it has arrived: the stream is asked for everything
    // up to it even while the playhead stands still at 0 (else it would wait forever).
    this.fetchUntil = 0;
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    this.stream = new StreamClient(`${proto}://${location.host}/api/stream`, {
      started: (m) => this.onStarted(m),
      frame: (m) => {
        if (this.shadow) {
          if (this.shadow.addFrame(m)) this.catchUp();
        } else if (this.race && this.race.addFrame(m)) this.h.frame(this.race);
      },
      paused: (m) => {
        if (this.live && m.race === this.live.race) this.flow.settled();
      },
      set: (m) => {
        if (this.race && !this.shadow && this.race.addRetune(m)) this.h.retuned(m);
      },
      done: (m) => {
        if (this.shadow) {
          if (this.shadow.finish(m)) { this.flow.settled(); this.catchUp(); }
        } else if (this.race && this.race.finish(m)) {
          this.flow.settled();
          this.h.done(this.race);
        }
      },
      error: (m) => {
        this.flow.settled();
        this.h.error(m.message, m);
      },
      status: (s) => {
        this.h.connection(s);
        // A dropped connection (a replica going away, a network blip) loses the race on the
        // server: resume it, on whichever replica answers now.
        if (s === 'open' && this.lastBody && this.race && !this.race.complete) this.resume();
      },
    });
    this.stream.connect();
  }

  /** Begin a race (a POST /api/run body). The playback restarts at step 0 unless resume. */
  start(body, keepCursor = false, resuming = false) {
    this.resuming = resuming; // a new race started meanwhile replaces a resume under way
    this.lastBody = body;
    this.keepCursor = keepCursor;
    this.flow.settled();
    // Every point's curvature comes with the path (one Hessian per step on the server), not
    // as an /api/analyze request per run and frame. A mini-batch run's Hessian would be its
    // batch's, not the surface's that the read-outs describe: those races keep asking.
    const eigen = !body.runs.some((r) => r.batch_size);
    this.stream.send({ type: 'start', ...body, eigen, detail: 'all', frame_steps: FRAME_STEPS });
    // Ask for the first stretch right away: the server then pauses after it instead of
    // racing to the end before our first request arrives.
    const first = Math.min(body.steps, this.flow.target(this.playback.rate) + FRAME_STEPS);
    this.stream.send({ type: 'step', n: first });
    this.flow.sent();
    this.startedAt = performance.now();
  }

  /** The race the server is streaming now: the one on screen, or its replay while resuming. */
  get live() {
    return this.shadow || this.race;
  }

  /**
   * Start the scene again after a reconnect and fetch up to the step already received, while
   * the race on screen stays as it is: races are seeded and mid-race changes replay at their
   * steps, so the replay is the same path. Once it has caught up it takes the old one's
   * place, and nothing shown is lost or repeated. `h.body()` gives the scene's body with the
   * changes made during this race (the last start's body lacks them).
   */
  resume() {
    this.resumeTo = this.race.available;
    this.start(this.h.body?.() || this.lastBody, true, true);
  }

  /** The replay has reached what was on screen (or finished): it becomes the race. */
  catchUp() {
    const shadow = this.shadow;
    if (!shadow || (shadow.available < this.resumeTo && !shadow.complete)) return;
    this.shadow = null;
    this.race = shadow;
    this.h.started(shadow);
    this.h.frame(shadow);
    if (shadow.complete) this.h.done(shadow);
  }

  onStarted(msg) {
    if (this.resuming) {
      this.resuming = false;
      this.shadow = new RaceStore(msg);
      this.shadow.markChanges((this.lastBody?.runs || []).map((r) => r.changes || []));
      this.fetchUntil = Math.max(this.fetchUntil || 0, this.resumeTo);
      return;
    }
    this.shadow = null;
    this.race = new RaceStore(msg);
    this.race.markChanges((this.lastBody?.runs || []).map((r) => r.changes || []));
    this.instantPending = false;
    if (!this.keepCursor) {
      this.playback.reset();
      if (this.instant) this.instantPending = true;
      else if (this.autoplay !== false) this.playback.play(null);
    }
    this.h.started(this.race);
  }

  /** Reduced motion (lib/motion.js): ask for the whole race at once and, once it is all
   *  here, show its last step; no animation. Pressing play meanwhile cancels this. */
  tickInstant(race) {
    if (this.playback.playing || this.playback.cursor > 0) { // the user took over
      this.instantPending = false;
      return false;
    }
    if (race.complete) {
      this.instantPending = false;
      this.playback.seek(race.finalIndex, race.available);
      return true;
    }
    if (!this.flow.outstanding && race.available < race.steps) {
      this.stream.send({ type: 'step', n: race.steps - race.available });
      this.flow.sent();
    }
    return false;
  }

  /** New hyperparameters for run i from the server's current step on. */
  retune(i, params) {
    this.stream.send({ type: 'set', run: i, params });
  }

  /** Whether run i can still take a mid-run change (else the race must restart). */
  canRetune(i) {
    const run = this.race?.runs[i];
    return Boolean(run && !this.race.complete && !run.stopped);
  }

  /** Called every animation frame: advance the clock, ask the server for more if needed. */
  tick(dt) {
    const race = this.race;
    if (!race) return false;
    if (this.instantPending) return this.tickInstant(race);
    const changed = this.playback.tick(dt, race.available, race.finalIndex);
    const live = this.live; // while resuming, the replay is what the server streams
    const cursor = Math.max(this.playback.cursor, Math.min(this.fetchUntil || 0, live.steps));
    const n = this.flow.want(cursor, live.available, this.playback.rate, live.steps, live.complete);
    if (n > 0) {
      this.stream.send({ type: 'step', n });
      this.flow.sent();
    }
    return changed;
  }
}
