/**
 * Gossip Scope's webview: the network graph with messages in flight, the controls, the message
 * list, the timeline, the peer overview and the inspector. This file only wires them together;
 * it talks to the extension host through host.ts, in extension/protocol.ts messages.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-context-menu/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { PROTOCOL_VERSION, type ToWebview, type UiEvent, type UiNetwork, type UiPeerState, type UiStatus } from '../extension/protocol.js';
import { Controls } from './controls.js';
import { el } from './dom.js';
import { Dots } from './dots.js';
import { EdgeLayer } from './edges.js';
import { EventLog } from './event-log.js';
import { FaultBar } from './fault-bar.js';
import { FaultMenu } from './fault-menu.js';
import { Graph } from './graph.js';
import { onMessage, post } from './host.js';
import { Inspector } from './inspector.js';
import { legend } from './legend.js';
import { Lesson } from './lesson.js';
import { InvariantsView } from './invariants-view.js';
import { StepNote } from './step-note.js';
import { MomentNote } from './moment-note.js';
import { FilterBar } from './message-filters.js';
import { MessageList } from './messages.js';
import { PeerList } from './peer-list.js';
import { measureFirstPaint, probe } from './probe.js';
import { ViewStateStore } from './state.js';
import { onThemeChange } from './theme.js';
import { Timeline } from './timeline.js';
import { ChartsPane } from './charts-pane.js';

/** Peer colours are applied this often (each change is a full Cytoscape redraw). */
const GRAPH_FLUSH_MS = 250;
/** Which connections are live is worked out this often. */
const EDGE_REFRESH_MS = 500;
/** A shown peer's details are asked for again this often while the network changes. */
const PEER_REFRESH_MS = 1000;

const store = new ViewStateStore();
const log = new EventLog();
const controls = new Controls(post);
const filters = new FilterBar(store);
const messages = new MessageList(log, filters);
const timeline = new Timeline();
const charts = new ChartsPane(() => post({ type: 'figures' }));
const inspector = new Inspector(el('div', { class: 'inspector' }));
const lesson = new Lesson(el('div', { class: 'lesson' }));
const invariants = new InvariantsView();
const peerList = new PeerList();
const faultBar = new FaultBar();
const stepNote = new StepNote();
const momentNote = new MomentNote();
const graphBox = el('div', { class: 'graph', 'data-testid': 'graph' });
const edgesCanvas = el('canvas', { class: 'edges', 'aria-hidden': 'true' });
const dotsCanvas = el('canvas', { class: 'dots', 'aria-hidden': 'true' });

document.getElementById('app')!.replaceChildren(
  controls.root,
  el(
    'div',
    { class: 'main' },
    el('div', { class: 'left' }, faultBar.root, stepNote.root, momentNote.root, el('div', { class: 'graph-pane' }, edgesCanvas, graphBox, dotsCanvas), legend(), charts.root, timeline.root, messages.root),
    el('div', { class: 'right' }, lesson.root, invariants.root, peerList.root, inspector.root),
  ),
);

const graph = new Graph(graphBox);
const edges = new EdgeLayer(edgesCanvas, graph);
const dots = new Dots(dotsCanvas, graph);
let network: UiNetwork | null = null;
let states: UiPeerState[] = [];
let status: UiStatus | null = null;
let hostSkipped = 0;
let lastFrameAt = 0;
let lastPeerRequest = 0;
let lastGraphFlush = 0;
let lastEdgeRefresh = 0;
/** The engine's last frame number not yet acknowledged: said once it has been drawn. */
let unacknowledged: number | null = null;

probe.peerAt = (idx) => graph.clientPosition(idx);
probe.zoom = () => graph.cy.zoom();
probe.peerClasses = (idx) => graph.classesOf(idx);
probe.peerLabel = (idx) => graph.labelOf(idx);

const menu = new FaultMenu(
  (fault) => post({ type: 'fault', fault }),
  () => ({ network, states, selected: graph.selectedPeers() }),
);
document.body.append(menu.root);

// ---- selection ------------------------------------------------------------------------
function selectPeer(idx: number | null): void {
  store.update({ selectedPeer: idx, selectedMessage: idx === null ? store.value.selectedMessage : null });
  graph.select(idx);
  edges.highlight(idx);
  if (idx === null) return inspector.clear();
  messages.select(null);
  graph.reveal(idx);
  inspector.loading(network?.peers[idx]?.id ?? `peer #${idx}`);
  requestPeer(idx);
}

function requestPeer(idx: number): void {
  lastPeerRequest = performance.now();
  post({ type: 'inspectPeer', idx });
}

function openMessage(msg: number): void {
  store.update({ selectedMessage: msg, selectedPeer: null });
  graph.select(null);
  edges.highlight(null);
  messages.select(msg);
  inspector.loading(`message #${msg}`);
  post({ type: 'inspectMessage', msg });
}

graph.onSelectPeer = selectPeer;
graph.onSelectionChange = (idxs) => {
  peerList.setSelected(idxs);
  controls.setPartitionable(idxs.length > 0 && idxs.length < graph.peerCount);
};
graph.onViewport = (viewport) => store.update({ viewport });
graph.onContextPeer = (idx, x, y) => {
  if (network?.recording) return; // a recording offers no faults
  const r = graphBox.getBoundingClientRect();
  menu.openForPeer(idx, r.left + x, r.top + y);
};
graph.onContextBackground = (x, y) => {
  if (network?.recording) return;
  const pair = edges.edgeAt(x, y);
  if (pair === null) return;
  const r = graphBox.getBoundingClientRect();
  menu.openForEdge(pair[0], pair[1], r.left + x, r.top + y);
};
peerList.onSelect = (idx, add) => (add ? graph.toggleSelected(idx) : selectPeer(idx));
peerList.onContext = (idx, x, y) => {
  if (!network?.recording) menu.openForPeer(idx, x, y);
};
menu.onInspect = selectPeer;
messages.onOpen = openMessage;
messages.onOpenEvent = (e) => {
  store.update({ selectedMessage: null, selectedPeer: null });
  graph.select(null);
  edges.highlight(null);
  inspector.showEvent(e);
};
timeline.onScrub = (t) => {
  messages.scrollToTime(t);
  momentNote.setCursor(t);
  charts.setTime(t);
};
// A click on a chart moves the time cursor there (the list follows) and selects the receiving peer.
charts.onPick = (p) => {
  timeline.setCursor(p.t);
  if (p.peer !== undefined) selectPeer(p.peer);
};
invariants.onPeer = (id) => {
  const p = network?.peers.find((x) => x.id === id);
  if (p !== undefined) selectPeer(p.idx);
};
controls.onPartition = () => menu.partitionSelected();
controls.onFit = () => graph.fit();

// ---- host messages --------------------------------------------------------------------
function showStatus(): void {
  if (status !== null) controls.showStatus(status, dots.skipped + hostSkipped);
  if (status !== null) momentNote.setNow(status.simTime);
  lesson.update(status?.expectations);
  invariants.update(status?.invariants);
  const faults = status?.faults ?? [];
  faultBar.update(faults);
  graph.mark('faulted', faults.filter((f) => f.kind !== 'crash' && f.kind !== 'pause').flatMap((f) => f.peers));
  edges.setPartition(faults.find((f) => f.kind === 'partition')?.groups ?? null);
}

function init(msg: Extract<ToWebview, { type: 'init' }>): void {
  if (msg.protocolVersion !== PROTOCOL_VERSION) {
    controls.showError(`This view speaks protocol ${PROTOCOL_VERSION}, the extension ${msg.protocolVersion}: reload the window.`);
    return;
  }
  measureFirstPaint();
  network = msg.network;
  const sameNetwork = store.startNetwork(`${network.scenario.name}/${network.peers.length}`);
  filters.load();
  faultBar.reset();
  stepNote.reset(network);
  const s = network.scenario;
  // A recording is named by its log files; it has no seed and nothing may change it.
  controls.setTitle(network.recording ? `Recording: ${network.recording.files.join(', ')}` : `${s.name} · ${s.profile} · seed ${s.seed}`);
  document.body.classList.toggle('recording', network.recording !== undefined);
  graph.load(network, sameNetwork ? store.value.viewport : null, msg.states);
  edges.reset(network.peers.length);
  dots.reset();
  dots.enabled = msg.settings?.animation ?? dots.enabled;
  hostSkipped = 0;
  log.clear();
  filters.setTypes([]);
  messages.reset(network);
  timeline.reset(network);
  momentNote.setCursor(null);
  charts.reset();
  inspector.reset(network);
  lesson.reset(network);
  peerList.load(network, graph.peerCount);
  applyStates(msg.states);
  // Shown again or reloaded: the list and the timeline start from the recent history (no dots).
  if (msg.history !== undefined && msg.history.length > 0) {
    if (log.add(msg.history)) filters.setTypes(log.types);
    timeline.add(msg.history, msg.status.simTime);
    // The connections of that moment come from its history too (a panel reset by a step back
    // would otherwise draw none until new traffic came).
    edges.noteAll(msg.history);
  }
  graph.flush();
  edges.refresh();
  status = msg.status;
  showStatus();
  // Back from hiding or a reload: show what was selected.
  const { selectedPeer, selectedMessage } = store.value;
  if (selectedPeer !== null && selectedPeer < network.peers.length) selectPeer(selectedPeer);
  else if (selectedMessage !== null) openMessage(selectedMessage);
}

function applyStates(next: UiPeerState[]): void {
  states = next;
  graph.setStates(next);
  edges.setStates(next);
  peerList.setStates(next);
}

/** Spreads a frame's messages over the time until the next frame, in simulated-time order. */
function animate(events: readonly UiEvent[]): void {
  const now = performance.now();
  const interval = Math.min(100, Math.max(16, now - lastFrameAt));
  lastFrameAt = now;
  if (events.length === 0) return;
  const t0 = events[0].t;
  const span = Math.max(1e-9, events[events.length - 1].t - t0);
  for (const e of events) {
    const delay = ((e.t - t0) / span) * interval;
    switch (e.kind) {
      case 'send':
        edges.note(e.peer, e.other ?? -1, e.t);
        dots.send(e.peer, e.other ?? -1, e.type, delay);
        break;
      case 'deliver':
        edges.note(e.peer, e.other ?? -1, e.t);
        break;
      case 'drop':
        dots.drop(e.peer, e.other ?? -1, delay);
        break;
      case 'reject':
        dots.reject(e.peer, e.other ?? -1, delay);
        break;
    }
  }
}

function frame(msg: Extract<ToWebview, { type: 'frame' }>): void {
  probe.framesHandled++;
  // Events that happened while the network stood still came from a step (or a fault injected
  // meanwhile): say what they did and mark their peers, until the network moves on.
  const stepped = status !== null && status.state !== 'running' && msg.status.state !== 'running' && msg.events.length > 0;
  // A debug stop says which move it was: the note tells that step, not the whole frame.
  if (msg.step !== undefined) graph.mark('stepped', stepNote.showStep(msg.step));
  else if (stepped) graph.mark('stepped', stepNote.show(msg.events));
  else if (msg.status.state === 'running' || msg.events.length > 0) graph.mark('stepped', stepNote.clear());
  probe.eventsHandled += msg.events.length;
  animate(msg.events);
  faultBar.noteTampered(msg.events, (i) => network?.peers[i]?.id ?? `#${i}`);
  if (log.add(msg.events)) filters.setTypes(log.types);
  timeline.add(msg.events, msg.status.simTime);
  applyStates(msg.states);
  hostSkipped += msg.skipped;
  status = msg.status;
  showStatus();
  if (msg.status.frame !== undefined) unacknowledged = msg.status.frame;
  // Keep a shown peer's views current while the network moves.
  const shown = inspector.shownPeer;
  if (shown !== null && msg.events.length > 0 && performance.now() - lastPeerRequest >= PEER_REFRESH_MS) requestPeer(shown);
}

onMessage((msg) => {
  switch (msg.type) {
    case 'init':
      return init(msg);
    case 'frame':
      return frame(msg);
    case 'messageDetail':
      // An answer for something no longer selected is dropped.
      if (store.value.selectedMessage !== msg.msg) return;
      if (msg.detail) inspector.showMessage(msg.detail, log.eventsOf(msg.msg));
      else inspector.notFound(`Message #${msg.msg}`);
      return;
    case 'peerDetail':
      if (store.value.selectedPeer !== msg.idx) return;
      if (msg.detail) inspector.showPeer(msg.detail, status?.simTime ?? 0);
      else inspector.notFound(`Peer #${msg.idx}`);
      return;
    case 'select':
      if (msg.what === 'peer') selectPeer(msg.idx);
      else openMessage(msg.msg);
      return;
    case 'settings':
      dots.enabled = msg.animation;
      return;
    case 'pausing':
      controls.pausing();
      return;
    case 'error':
      controls.showError(msg.message);
      return;
    case 'figures':
      return charts.receive(msg.figures);
  }
});

// ---- drawing ----------------------------------------------------------------------------
// One loop: dots every frame; the graph, the edges, the list and the timeline only when they
// changed, each at its own pace, however fast frames arrive.
const loop = (now: number) => {
  probe.animationFrames++;
  if (now - lastGraphFlush >= GRAPH_FLUSH_MS) {
    lastGraphFlush = now;
    graph.flush();
  }
  if (now - lastEdgeRefresh >= EDGE_REFRESH_MS) {
    lastEdgeRefresh = now;
    edges.refresh();
    probe.edges = edges.edgeCount;
    probe.cutLinks = edges.cutLinks;
  }
  edges.draw();
  dots.draw(now);
  probe.dotsInFlight = dots.inFlight;
  probe.dotsSkipped = dots.skipped;
  messages.render(now);
  timeline.render(now);
  // Drawn: the engine may run one frame further (it never gets more than a frame ahead of this picture).
  if (unacknowledged !== null) {
    post({ type: 'frameShown', seq: unacknowledged });
    unacknowledged = null;
  }
  requestAnimationFrame(loop);
};
requestAnimationFrame(loop);

onThemeChange(() => {
  graph.restyle();
  edges.restyle();
});
window.addEventListener('pagehide', () => store.flush());
performance.mark('gossip-scope:ready');
post({ type: 'ready' });
