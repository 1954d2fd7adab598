/**
 * The walkthrough (package.json contributes.walkthroughs) as VS Code will read it: every step's
 * command links name commands the extension contributes and registers, their sample arguments
 * are bundled samples that load, every media file exists, every completion event can happen.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const walkthroughs: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[] =
  pkg.contributes.walkthroughs ?? [];

const contributed = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
/** Commands the extension's code registers (commands.ts's table and registerCommand calls in any file). */
const registered = new Set<string>();
for (const file of readdirSync(join(ROOT, 'extension')).filter((f) => f.endsWith('.ts'))) {
  const src = readFileSync(join(ROOT, 'extension', file), 'utf8');
  for (const m of src.matchAll(/'(gossipScope\.[A-Za-z]+)'\s*:|registerCommand\(\s*'(gossipScope\.[A-Za-z]+)'/g)) registered.add(m[1] ?? m[2]);
}

function commandLinks(markdown: string): { command: string; args: unknown[] }[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((m) => ({ command: m[1], args: m[2] ? JSON.parse(decodeURIComponent(m[2])) : [] }));
}

test('there is a walkthrough that covers every lesson', () => {
  assert.equal(walkthroughs.length, 1);
  const opened = walkthroughs[0].steps.flatMap((s) => commandLinks(s.description).filter((l) => l.command === 'gossipScope.openNetwork').map((l) => l.args[0]));
  for (const lesson of ['membership', 'push-vs-pull', 'election', 'state-transfer', 'channels', 'anchors', 'private-data', 'tampering', 'partitions', 'byzantine', 'fabric-v3-vs-classic', 'big-200']) {
    assert.ok(opened.includes(`${lesson}.yaml`), `no step opens ${lesson}.yaml`);
  }
});

for (const w of walkthroughs) {
  for (const step of w.steps) {
    test(`walkthrough step "${step.title}" resolves to commands and files that exist`, () => {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, 'the step has a button (a command link)');
      for (const { command, args } of links) {
        assert.ok(contributed.has(command), `${command} is not in contributes.commands`);
        assert.ok(registered.has(command), `${command} is not registered by the extension`);
        for (const arg of args) {
          assert.equal(typeof arg, 'string');
          const file = join(ROOT, 'samples', arg as string);
          assert.ok(existsSync(file), `samples/${arg} does not exist`);
          const scenario = loadScenario(readFileSync(file, 'utf8'), file);
          assert.ok(scenario.orgs.length > 0, `samples/${arg} has no orgs`);
        }
      }
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media !== undefined && existsSync(join(ROOT, media)), `media ${media} is missing`);
      if (step.media.markdown) {
        const text = readFileSync(join(ROOT, step.media.markdown), 'utf8');
        // Each lesson names the Fabric configuration keys it is about, and asks for something to find.
        if (links.some((l) => l.command === 'gossipScope.openNetwork')) assert.match(text, /`peer\.(gossip|deliveryclient)\.[a-zA-Z.]+`/, 'names no core.yaml key');
        assert.match(text, /\*\*(Find it|Try it):\*\*/);
      }
      for (const ev of step.completionEvents ?? []) {
        const ctx = /^onContext:gossipScope\.openedScenario == ([\w-]+)$/.exec(ev);
        const cmd = /^onCommand:([\w.]+)$/.exec(ev);
        assert.ok(ctx || cmd, `completion event ${ev} is not one the extension raises`);
        if (ctx) assert.ok(existsSync(join(ROOT, 'samples', `${ctx[1]}.yaml`)), `no sample ${ctx[1]}.yaml`);
        if (cmd) assert.ok(registered.has(cmd[1]), `${cmd[1]} is not registered`);
      }
    });
  }
}

test('the context key the completion events wait for is the one the controller sets', () => {
  const src = readFileSync(join(ROOT, 'extension', 'network-controller.ts'), 'utf8');
  assert.match(src, /setContext', 'gossipScope\.openedScenario'/);
});
