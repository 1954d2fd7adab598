// A stand-in for dist/webview.js while the real webview is not built: it speaks the same protocol
// (ready -> init, frames, inspectPeer -> peerDetail) and exposes the DOM contract the e2e test
// checks ([data-testid=peer-count], one [data-peer-id] per peer), so the host side is tested for real.
(function () {
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  let time;
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'init') {
      app.replaceChildren(el('h1', {}, `probe: ${m.network.scenario.name}`), el('p', { 'data-testid': 'peer-count' }, `${m.network.peers.length} peers`));
      const list = el('ul', { 'aria-label': 'Peers' });
      for (const p of m.network.peers) list.append(el('li', { 'data-peer-id': p.id }, p.id));
      time = el('p', { 'data-testid': 'sim-time' }, String(m.status.simTime));
      app.append(list, time, el('p', { 'data-testid': 'peer-detail' }, ''));
      vscode.postMessage({ type: 'inspectPeer', idx: 0 });
    } else if (m.type === 'frame' && time) {
      time.textContent = String(m.status.simTime);
    } else if (m.type === 'peerDetail') {
      document.querySelector('[data-testid=peer-detail]').textContent = m.detail ? m.detail.id : 'none';
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
