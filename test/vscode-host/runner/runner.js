// Test-only extension: code-server has no --extensionTestsPath, so this loads the bundled suite
// named by GOSSIP_SCOPE_HOST_SUITE once the window is up and runs it; the suite writes its results
// to GOSSIP_SCOPE_HOST_RESULTS. Without those variables it does nothing.
const { writeFileSync } = require('node:fs');

exports.activate = function activate() {
  const suite = process.env.GOSSIP_SCOPE_HOST_SUITE;
  const results = process.env.GOSSIP_SCOPE_HOST_RESULTS;
  if (!suite || !results) return;
  Promise.resolve()
    .then(() => require(suite).run())
    .catch((err) => {
      // run() writes its own results; a suite that cannot even load leaves this instead.
      try {
        require('node:fs').accessSync(results);
      } catch {
        writeFileSync(results, JSON.stringify([{ name: 'load the suite', ok: false, error: String(err && err.stack || err), ms: 0 }]));
      }
    });
};
