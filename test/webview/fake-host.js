// A tiny stand-in for the extension host, in the page: it implements acquireVsCodeApi(), answers
// the webview's messages from a recorded run (window.GOSSIP_SCOPE_RECORDING, made by
// record-frames.ts) and replays its frames. Tests and the benchmark drive it as window.fakeHost.
// Plain JS: it runs as is in the browser, before dist/webview.js.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const net = params.get('net') || '100';
  const theme = params.get('theme') || 'dark';
  document.body.className = `vscode-${theme}`;
  document.body.dataset.vscodeThemeKind = `vscode-${theme}`;

  const STATE_KEY = `gossip-scope-harness-state-${net}`;
  const FRAME_MS = 33;

  const host = {
    /** Everything the webview posted, in order. */
    posted: [],
    /** Content-Security-Policy violations the page reported. */
    cspViolations: [],
    recording: null,
    index: 0,
    playing: false,
    speed: 1,
    crashed: new Set(),
    faults: [],
    ready: false,
    timer: null,
    /** performance.now() when init was posted. */
    initPostedAt: null,

    send(msg) {
      window.postMessage(msg, '*');
    },

    statesNow(states) {
      if (this.crashed.size === 0) return states;
      const ids = this.recording.init.network.peers;
      return states.map((s) => (this.crashed.has(ids[s.idx].id) ? { ...s, running: false, leader: {}, behind: false } : s));
    },

    sendInit() {
      const init = this.recording.init;
      this.index = 0;
      this.initPostedAt = performance.now();
      this.send({ ...init, states: this.statesNow(init.states) });
    },

    /** Posts the next recorded frame; false at the end. */
    sendNext() {
      const frames = this.recording.frames;
      if (this.index >= frames.length) {
        this.stop();
        return false;
      }
      const f = frames[this.index++];
      const last = this.index >= frames.length;
      const state = last ? 'finished' : this.playing ? 'running' : 'paused';
      this.send({ ...f, status: { ...f.status, state, speed: this.speed }, states: this.statesNow(f.states) });
      return !last;
    },

    play() {
      if (this.playing) return;
      this.playing = true;
      const tick = () => {
        if (!this.playing) return;
        // Faster speeds send several recorded frames per tick, as the real host batches them.
        for (let k = 0; k < Math.max(1, Math.round(this.speed)); k++) if (!this.sendNext()) return;
        this.timer = setTimeout(tick, FRAME_MS);
      };
      tick();
    },

    /** The benchmark's steady traffic: replays the frames between two simulated times over and over. */
    cycle(from, to) {
      this.stop();
      this.playing = true;
      const frames = this.recording.frames;
      const first = frames.findIndex((f) => f.status.simTime >= from);
      this.index = first;
      const tick = () => {
        if (!this.playing) return;
        if (this.index >= frames.length || frames[this.index].status.simTime > to) this.index = first;
        this.sendNext();
        this.timer = setTimeout(tick, FRAME_MS);
      };
      tick();
    },

    stop() {
      this.playing = false;
      clearTimeout(this.timer);
    },

    /** Posts the recorded frames up to a simulated time at once. */
    sendUntil(simTime) {
      this.stop();
      while (this.index < this.recording.frames.length && this.recording.frames[this.index].status.simTime <= simTime) this.sendNext();
    },

    /** Replays every remaining frame at once (as fast as postMessage goes). */
    sendAll() {
      this.stop();
      while (this.sendNext());
    },

    receive(m) {
      // The panel's acknowledgements of frames drawn pace a real engine; a recording is not paced.
      if (m.type === 'frameShown') return void (this.shown = m.seq);
      this.posted.push(m);
      switch (m.type) {
        case 'ready':
          this.ready = true;
          this.load().then(() => {
            this.sendInit();
            if (params.get('autoplay') === '1') this.play();
          });
          return;
        case 'control':
          if (m.action === 'run') return this.play();
          if (m.action === 'pause') {
            this.stop();
            const f = this.recording.frames[Math.max(0, this.index - 1)];
            return this.send({ type: 'frame', status: { ...f.status, state: 'paused', speed: this.speed }, events: [], states: this.statesNow(f.states), skipped: 0 });
          }
          if (m.action === 'step') return void this.sendNext();
          if (m.action === 'reset') {
            this.stop();
            this.crashed.clear();
            return this.sendInit();
          }
          return;
        case 'speed':
          this.speed = m.speed === 0 ? 10 : m.speed;
          return;
        case 'inspectMessage':
          return this.send({ type: 'messageDetail', msg: m.msg, detail: this.recording.messageDetails[m.msg] ?? null });
        case 'figures':
          return this.send({ type: 'figures', figures: this.recording.figures });
        case 'inspectPeer':
          return this.send({ type: 'peerDetail', idx: m.idx, detail: this.peerDetail(m.idx) });
        case 'fault':
          return this.fault(m.fault);
      }
    },

    peerDetail(idx) {
      const d = this.recording.peerDetails[idx];
      if (!d) return null;
      return this.crashed.has(d.id) ? { ...d, running: false } : d;
    },

    /** Crash and restart change what later frames say; every fault shows up as a trace event. */
    fault(f) {
      this.faults.push(f);
      if (f.kind === 'crash') this.crashed.add(f.peer);
      if (f.kind === 'restart') this.crashed.delete(f.peer);
      const prev = this.recording.frames[Math.max(0, this.index - 1)] || this.recording.init;
      const t = prev.status.simTime;
      this.send({
        type: 'frame',
        status: { ...prev.status, state: this.playing ? 'running' : 'paused', speed: this.speed },
        events: [{ id: -this.faults.length, t, kind: 'fault', peer: -1, reason: f.kind, data: f }],
        states: this.statesNow(prev.states),
        skipped: 0,
      });
    },

    /**
     * The benchmark's flood: frames of `perFrame` recorded events, posted as fast as the webview
     * takes them (never more than two ahead), for `seconds`. Resolves with what the webview handled.
     */
    async flood(seconds, perFrame) {
      this.stop();
      const pool = this.recording.frames.flatMap((f) => f.events);
      const frames = [];
      const last = this.recording.frames[this.recording.frames.length - 1];
      for (let k = 0, t = last.status.simTime; k < 48; k++) {
        const events = [];
        for (let i = 0; i < perFrame; i++) {
          const e = pool[(k * perFrame + i) % pool.length];
          events.push({ ...e, t: t + (i / perFrame) * FRAME_MS });
        }
        t += FRAME_MS;
        frames.push({ type: 'frame', status: { ...last.status, simTime: t, state: 'running' }, events, states: last.states, skipped: 0 });
      }
      const probe = window.gossipScopeProbe;
      const start = performance.now();
      const events0 = probe.eventsHandled;
      const frames0 = probe.animationFrames;
      let sent = 0;
      const handled0 = probe.framesHandled;
      while (performance.now() - start < seconds * 1000) {
        if (sent - (probe.framesHandled - handled0) < 2) this.send(frames[sent++ % frames.length]);
        else await new Promise((r) => setTimeout(r, 0));
      }
      while (probe.framesHandled - handled0 < sent) await new Promise((r) => setTimeout(r, 0));
      const elapsed = (performance.now() - start) / 1000;
      return { events: probe.eventsHandled - events0, seconds: elapsed, eventsPerSecond: (probe.eventsHandled - events0) / elapsed, fps: (probe.animationFrames - frames0) / elapsed };
    },
  };
  window.fakeHost = host;

  document.addEventListener('securitypolicyviolation', (e) => host.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`));

  // The recording (tens of MB of script) is fetched only once the webview is ready, so it does
  // not compete with the webview's own start (which the benchmark measures).
  let loading = null;
  host.load = () =>
    (loading ??= new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.nonce = 'harness';
      s.src = `../../test-results/webview-data/net-${net}.js`;
      s.onload = () => {
        host.recording = window.GOSSIP_SCOPE_RECORDING;
        resolve();
      };
      s.onerror = () => reject(new Error(`no recording net-${net}.js: run node --import tsx test/webview/record-frames.ts ${net}`));
      document.head.append(s);
    }));

  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage: (m) => host.receive(JSON.parse(JSON.stringify(m))),
      // Survives a reload of the page, as VS Code keeps it across hiding and reloading the panel.
      getState: () => JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null'),
      setState: (s) => sessionStorage.setItem(STATE_KEY, JSON.stringify(s)),
    };
  };
})();
