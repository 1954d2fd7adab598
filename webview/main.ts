/**
 * Gossip Scope's webview: the network graph with messages in flight, controls, the message
 * list, the timeline and the inspector. It talks to the extension host only through
 * extension/protocol.ts messages.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { PROTOCOL_VERSION, type ToWebview, type UiNetwork, type UiPeerState, type UiStatus } from '../extension/protocol.js';
import { custom, el, secs } from './dom.js';
import { Dots } from './dots.js';
import { Graph } from './graph.js';
import { loadViewState, onMessage, post, saveViewState } from './host.js';
import { Inspector } from './inspector.js';
import { MessageList } from './messages.js';
import { onThemeChange } from './theme.js';
import { Timeline } from './timeline.js';
import { Lesson } from './lesson.js';

const view = loadViewState();
const app = document.getElementById('app')!;

// ---- layout -----------------------------------------------------------------------------
const button = (label: string, action: () => void, testid: string) => {
  const b = custom('vscode-button', { 'data-testid': testid }, label);
  b.addEventListener('click', action);
  return b;
};
const speed = custom('vscode-single-select', { 'aria-label': 'speed', 'data-testid': 'speed' });
for (const [v, label] of [['1', '1×'], ['5', '5×'], ['20', '20×'], ['100', '100×'], ['0', 'fastest']]) speed.append(custom('vscode-option', { value: v }, label));
speed.addEventListener('change', () => post({ type: 'speed', speed: Number((speed as unknown as { value: string }).value) }));
const statusText = el('span', { class: 'status', 'data-testid': 'status' }, 'loading…');
const title = el('span', { class: 'title' });
const toolbar = el(
  'div',
  { class: 'toolbar' },
  title,
  button('Run', () => post({ type: 'control', action: 'run' }), 'run'),
  button('Pause', () => post({ type: 'control', action: 'pause' }), 'pause'),
  button('Step', () => post({ type: 'control', action: 'step' }), 'step'),
  button('Reset', () => post({ type: 'control', action: 'reset' }), 'reset'),
  speed,
  button('Partition selected', () => partitionSelected(), 'partition'),
  button('Heal', () => post({ type: 'fault', fault: { kind: 'heal' } }), 'heal'),
  statusText,
);
const graphBox = el('div', { class: 'graph' });
const dotsCanvas = el('canvas', { class: 'dots' });
const legend = el('div', { class: 'legend' }, 'green: alive · star: leader · yellow: behind · red: down · drag a box to select peers');
// The count gets its test id only once a network is drawn, so nobody reads a placeholder.
const peerCount = el('span', {}, '');
const peerList = el('ul', { class: 'peer-list', 'aria-label': 'peers' });
const graphPane = el('div', { class: 'graph-pane' }, graphBox, dotsCanvas, legend, el('div', { class: 'peers-info' }, peerCount, ' peers', peerList));
const timelineCanvas = el('canvas', { class: 'timeline', title: 'Click to look back to that moment; click the right edge to follow live' });
const listBox = el('div', { class: 'messages' });
const inspectorBox = el('div', { class: 'inspector' });
const lessonBox = el('div', { class: 'lesson' });
const menu = el('div', { class: 'menu', hidden: '' });
app.replaceChildren(toolbar, el('div', { class: 'main' }, el('div', { class: 'left' }, graphPane, timelineCanvas, listBox), el('div', { class: 'right' }, lessonBox, inspectorBox)), menu);

const graph = new Graph(graphBox);
const dots = new Dots(dotsCanvas, graph);
const messages = new MessageList(listBox, view);
const inspector = new Inspector(inspectorBox);
const timeline = new Timeline(timelineCanvas);
const lesson = new Lesson(lessonBox);
let network: UiNetwork | null = null;
let states: UiPeerState[] = [];

// ---- interactions -----------------------------------------------------------------------
graph.onSelectPeer = (idx) => selectPeer(idx);
graph.onContextPeer = (idx, x, y) => showMenu(idx, x, y);
messages.onOpen = (msg) => {
  view.selectedMessage = msg;
  view.selectedPeer = null;
  saveViewState(view);
  post({ type: 'inspectMessage', msg });
};
messages.onFilter = () => saveViewState(view);
timeline.onScrub = (t) => {
  messages.upTo = t;
  messages.add([]);
};
document.addEventListener('click', (e) => {
  if (!menu.contains(e.target as Node)) menu.hidden = true;
});

function selectPeer(idx: number | null): void {
  view.selectedPeer = idx;
  view.selectedMessage = null;
  saveViewState(view);
  graph.select(idx);
  if (idx === null) inspector.clear();
  else post({ type: 'inspectPeer', idx });
}

function showMenu(idx: number, x: number, y: number): void {
  if (network === null) return;
  const id = network.peers[idx].id;
  const running = states[idx]?.running ?? true;
  const item = (label: string, fn: () => void) => {
    const b = el('button', { class: 'item' }, label);
    b.addEventListener('click', () => {
      menu.hidden = true;
      fn();
    });
    return b;
  };
  menu.replaceChildren(
    el('div', { class: 'menu-title' }, id),
    running ? item('Crash', () => post({ type: 'fault', fault: { kind: 'crash', peer: id } })) : item('Restart', () => post({ type: 'fault', fault: { kind: 'restart', peer: id } })),
    item('Pause', () => post({ type: 'fault', fault: { kind: 'pause', peer: id } })),
    item('Resume', () => post({ type: 'fault', fault: { kind: 'resume', peer: id } })),
    item('Tamper with its next alive message', () => post({ type: 'fault', fault: { kind: 'tamper', rule: { from: id, to: null, type: 'AliveMessage', mode: 'flip', count: 1 } } })),
    item('Byzantine: sign with high-S', () => post({ type: 'fault', fault: { kind: 'byzantine', peer: id, behaviour: 'high-s', target: null, channel: null } })),
    item('Byzantine: withhold blocks', () => post({ type: 'fault', fault: { kind: 'byzantine', peer: id, behaviour: 'withhold', target: null, channel: null } })),
    item('Byzantine: flood', () => post({ type: 'fault', fault: { kind: 'byzantine', peer: id, behaviour: 'flood', target: null, channel: null } })),
    item('Isolate (partition)', () => post({ type: 'fault', fault: { kind: 'partition', groups: [[id], network!.peers.filter((p) => p.id !== id).map((p) => p.id)] } })),
    item('Inspect', () => selectPeer(idx)),
  );
  const r = graphBox.getBoundingClientRect();
  menu.style.left = `${r.left + x}px`;
  menu.style.top = `${r.top + y}px`;
  menu.hidden = false;
}

function partitionSelected(): void {
  if (network === null) return;
  const picked = new Set(graph.selectedPeers());
  if (picked.size === 0 || picked.size === network.peers.length) return;
  const a = network.peers.filter((p) => picked.has(p.idx)).map((p) => p.id);
  const b = network.peers.filter((p) => !picked.has(p.idx)).map((p) => p.id);
  post({ type: 'fault', fault: { kind: 'partition', groups: [a, b] } });
}

// ---- host messages ----------------------------------------------------------------------
function showStatus(s: UiStatus, skipped = 0): void {
  const select = speed as unknown as { value: string };
  if (select.value !== String(s.speed) && Array.from(speed.children).some((o) => o.getAttribute('value') === String(s.speed))) select.value = String(s.speed);
  const extra = skipped + dots.skipped > 0 ? ` · ${skipped + dots.skipped} not animated` : '';
  statusText.textContent = `${secs(s.simTime)} · ${s.events} events · ${s.state}${extra}`;
  lesson.update(s.expectations);
}

function applyStates(next: UiPeerState[]): void {
  states = next;
  graph.updateStates(next);
  for (const s of next) {
    const li = peerList.children[s.idx] as HTMLElement | undefined;
    if (li) li.dataset.state = s.running ? 'alive' : 'down';
  }
}

onMessage((msg: ToWebview) => {
  switch (msg.type) {
    case 'init': {
      if (msg.protocolVersion !== PROTOCOL_VERSION) {
        statusText.textContent = `protocol ${msg.protocolVersion} is not ${PROTOCOL_VERSION}: reload the window`;
        return;
      }
      network = msg.network;
      title.textContent = `${msg.network.scenario.name} (${msg.network.scenario.profile}, seed ${msg.network.scenario.seed})`;
      graph.load(msg.network);
      messages.reset(msg.network);
      inspector.reset(msg.network);
      timeline.reset(msg.network);
      lesson.reset(msg.network);
      peerCount.textContent = String(msg.network.peers.length);
      peerCount.setAttribute('data-testid', 'peer-count');
      peerList.replaceChildren(...msg.network.peers.map((p) => el('li', { 'data-peer-id': p.id }, p.id)));
      dots.enabled = msg.settings?.animation ?? true;
      applyStates(msg.states);
      showStatus(msg.status);
      if (view.selectedPeer !== null && view.selectedPeer < msg.network.peers.length) selectPeer(view.selectedPeer);
      else if (view.selectedMessage !== null) post({ type: 'inspectMessage', msg: view.selectedMessage });
      return;
    }
    case 'frame': {
      for (const e of msg.events) {
        if (e.kind === 'send') {
          graph.connect(e.peer, e.other ?? -1);
          dots.add(e.peer, e.other ?? -1, e.type);
        }
      }
      messages.add(msg.events);
      timeline.add(msg.events, msg.status.simTime);
      applyStates(msg.states);
      showStatus(msg.status, msg.skipped);
      return;
    }
    case 'messageDetail':
      if (msg.detail) inspector.showMessage(msg.detail);
      else inspector.notFound(`Message #${msg.msg}`);
      return;
    case 'peerDetail':
      if (msg.detail) inspector.showPeer(msg.detail);
      else inspector.notFound(`Peer #${msg.idx}`);
      return;
    case 'select':
      if (msg.what === 'peer') selectPeer(msg.idx);
      else messages.onOpen(msg.msg);
      return;
    case 'settings':
      dots.enabled = msg.animation;
      return;
    case 'error':
      statusText.textContent = msg.message;
      return;
  }
});

// The list and timeline redraw at display rate at most, however fast frames come.
const render = () => {
  messages.render();
  timeline.render();
  requestAnimationFrame(render);
};
requestAnimationFrame(render);
onThemeChange(() => graph.restyle());
post({ type: 'ready' });
