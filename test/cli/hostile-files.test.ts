/**
 * Files the user owns and files that are not files: a FIFO given to any command is refused at
 * once (it froze `run`, `import`, `diff`, `report`, `shrink` and `sweep`); an output path that
 * resolves to an input (`dir/./victim.yaml`, a link) is refused by real path and the input left
 * as it was (shrink overwrote the scenario); an output naming a folder is said before any run;
 * `import` names a dangling link, does not wander through a link to `/`, and a newline in an MSP
 * ID stays inside its comment (the error is at the real file, not `imported scenario:26:1`);
 * sweep, diff --at and diff A@SEED have the bounds run has, checked before any work.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from './in-process-cli.js';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'gs-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const STACK = /\n\s+at |TypeError|RangeError|EISDIR|ENOENT|Maximum call stack/;

const SCENARIO = `name: victim
seed: 2
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: ch, orgs: [Org1MSP] }
orderer: { blocks: 1 }
faults:
  - { at: 1s, crash: peer1.org1 }
run: { until: 3s }
`;
const victim = join(dir, 'victim.yaml');
before(() => {
  // scripts/test.mjs builds once for every file; run alone, this file builds for itself.
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  writeFileSync(victim, SCENARIO);
});

/** The real binary, killed if it hangs (a FIFO once blocked it for good). */
function binary(...args: string[]): { code: number | null; err: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, err: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

describe('a FIFO is refused at once by every command that reads a file', () => {
  const fifo = (name: string) => {
    const p = join(dir, name);
    assert.equal(spawnSync('mkfifo', [p]).status, 0);
    return p;
  };
  const CASES: [string, (p: string) => string[], string][] = [
    ['run', (p) => ['run', p], 'pipe.yaml'],
    ['import', (p) => ['import', p], 'configtx.yaml'],
    ['diff (a scenario)', (p) => ['diff', p, victim], 'pipe2.yaml'],
    ['diff (a trace)', (p) => ['diff', p, p], 'pipe.jsonl'],
    ['report (a scenario)', (p) => ['report', p, '--out', join(dir, 'r.html')], 'pipe3.yaml'],
    ['report (a trace)', (p) => ['report', p, '--out', join(dir, 'r.html')], 'pipe2.jsonl'],
    ['shrink', (p) => ['shrink', p, '--out', join(dir, 'shrunk.yaml')], 'pipe4.yaml'],
    ['sweep', (p) => ['sweep', p, '--set', 'propagatePeerNum=1..2', '--out', join(dir, 'sw')], 'pipe5.yaml'],
  ];
  for (const [name, args, file] of CASES) {
    it(name, () => {
      const p = fifo(file);
      const r = binary(...args(p));
      assert.equal(r.timedOut, false, `${name} hung on a FIFO`);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`${p.replace(/[.\\/]/g, '\\$&')}:1:1: this is a named pipe \\(FIFO\\), not a regular file: only regular files are read`));
    });
  }
});

describe('an output that is an input, by another name, is refused and the input left as it was', () => {
  const linked = join(dir, 'link-to-victim.yaml');
  before(() => symlinkSync(victim, linked));
  const CASES: [string, string[], string][] = [
    // shrink --out dir/./victim.yaml overwrote the scenario: the guard compared strings.
    ['shrink --out dir/./victim.yaml', ['shrink', victim, '--out', `${dir}/./victim.yaml`], '--out'],
    ['shrink --out a link to it', ['shrink', victim, '--out', linked], '--out'],
    ['shrink --out ../dir/victim.yaml', ['shrink', victim, '--out', join(dir, '..', dir.split('/').pop()!, 'victim.yaml')], '--out'],
    ['report --out the scenario', ['report', victim, '--out', `${dir}/./victim.yaml`], '--out'],
    ['run --trace the scenario', ['run', victim, '--trace', `${dir}/./victim.yaml`], '--trace'],
    ['import --out the file it reads', ['import', victim, '--out', linked], '--out'],
  ];
  for (const [name, args, flag] of CASES) {
    it(name, async () => {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${name}: exit ${r.code} ${r.err}`);
      assert.match(r.err, new RegExp(`${flag} .*: that is .*victim\\.yaml, one of the files this command reads; it never overwrites what you gave it`));
      assert.doesNotMatch(r.err, STACK);
      assert.equal(readFileSync(victim, 'utf8'), SCENARIO, 'the scenario was changed');
    });
  }

  it('sweep: a --out folder where a sweep file would be the scenario', async () => {
    const sub = join(dir, 'sweep-here');
    mkdirSync(sub);
    writeFileSync(join(sub, 'sweep.json'), SCENARIO);
    const r = await cli('sweep', join(sub, 'sweep.json'), '--set', 'propagatePeerNum=1..2', '--out', `${sub}/.`);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--out .*sweep\.json: that is .*sweep\.json, one of the files this command reads/);
    assert.equal(readFileSync(join(sub, 'sweep.json'), 'utf8'), SCENARIO);
  });
});

describe('--out naming a folder is said before any work', () => {
  for (const [name, args] of [
    ['shrink', ['shrink', victim, '--out', dir]],
    ['report', ['report', victim, '--out', dir]],
    ['import', ['import', join(ROOT, 'docs', 'reference', 'real-fabric'), '--out', dir]],
  ] as const) {
    it(name, async () => {
      const r = await cli(...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`--out ${dir.replace(/[.\\/]/g, '\\$&')}: it is a folder; give a file name such as`));
      assert.doesNotMatch(r.err, /shrink: \d+ runs/, 'runs were made first');
      assert.doesNotMatch(r.err, STACK);
    });
  }
});

describe('an --out where no file can be made is said before any work', () => {
  // /proc takes no new files, even from root (a read-only folder would not stop root).
  for (const args of [['shrink', victim, '--out', '/proc/x.yaml'], ['report', victim, '--out', '/proc/x.html'], ['import', victim, '--out', '/proc/x.yaml']]) {
    it(args[0], async () => {
      const r = await cli(...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /^gossip-scope: --out \/proc\/x\.\w+: cannot write there: a file cannot be made there/);
      assert.doesNotMatch(r.err, /shrink: \d+ runs/, 'runs were made first');
    });
  }
});

describe('import: links and names that would break the scenario', () => {
  const net = (name: string) => {
    const p = join(dir, name);
    cpSync(join(ROOT, 'docs', 'reference', 'real-fabric'), p, { recursive: true });
    rmSync(join(p, 'gossip-debug-6peers.log.gz'), { force: true });
    return p;
  };

  it('a dangling link among the files is named with its path', async () => {
    const p = net('dangling');
    symlinkSync(join(dir, 'nowhere.yaml'), join(p, 'compose-test-net.yaml'));
    const r = await cli('import', p);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), `${join(p, 'compose-test-net.yaml')}:1:1: a symbolic link to ${join(dir, 'nowhere.yaml')}, which does not exist`);
  });

  it('a link to / is not followed, and said', async () => {
    const p = net('rooted');
    symlinkSync('/', join(p, 'root'));
    const r = await cli('import', p, '--out', join(dir, 'rooted.yaml'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`note: ${join(p, 'root').replace(/[.\\/]/g, '\\$&')}: not searched: it is a link to the folder /, and links to folders are not followed`));
  });

  it('a newline in an MSP ID stays inside its comment: the error is at the real file', async () => {
    const p = net('newline');
    const configtx = join(p, 'configtx.yaml');
    const text = readFileSync(configtx, 'utf8');
    const line = text.split('\n').findIndex((l) => /^\s+ID: Org1MSP$/.test(l)) + 1;
    writeFileSync(configtx, text.replace(/(\n\s+ID: )Org1MSP\n/, '$1"Org1\\nMSP"\n'));
    const r = await cli('import', p);
    assert.equal(r.code, 2, r.err);
    assert.ok(r.err.startsWith(`${configtx}:${line}:`), r.err);
    assert.doesNotMatch(r.err, /imported scenario/);
  });

  it('a newline in a folder name stays inside its comment', async () => {
    const p = net('new\nline');
    const r = await cli('import', p, '--out', join(dir, 'newline-folder.yaml'));
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(dir, 'newline-folder.yaml'), 'utf8'), /^# {3}.*new\\nline\/core\.yaml$/m);
  });
});

describe('bounds checked before any work', () => {
  it('sweep: the product of the ranges, before a combination is built (1,000³ once took 2.5 GB)', () => {
    const r = binary('sweep', victim, '--set', 'propagatePeerNum=1..1000', '--set', 'peers=1..1000', '--set', 'orderer.blocks=1..1000');
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /1,000 × 1,000 × 1,000 values \(1,000,000,000 combinations\) × 1 seed is 1,000,000,000 runs, at most 10,000/);
  });

  it('sweep: an error names the user\'s file and line, not the reprinted document\'s', async () => {
    // 10 lines; the reprint put gossip.propagatePeerNum at line 12.
    const r = await cli('sweep', victim, '--set', 'propagatePeerNum=-1,1');
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--set propagatePeerNum=-1: .*victim\.yaml:1:1: must be an integer between 0 and 500, got -1 \(gossip\.propagatePeerNum: not in the file, the sweep sets it\)/);
    const r2 = await cli('sweep', victim, '--set', 'orderer.blocks=-1,1');
    assert.match(r2.err, /--set orderer\.blocks=-1: .*victim\.yaml:7:\d+: must be an integer between 0 and 100,000, got -1/);
  });

  it('diff --at has run --until\'s bound, and the run its cost', async () => {
    let r = await cli('diff', victim, `${victim}@3`, '--at', '99999h');
    assert.equal(r.code, 2);
    assert.match(r.err, /--at must be at most 24h/);
    r = await cli('diff', join(ROOT, 'samples', 'two-orgs.yaml'), join(ROOT, 'samples', 'two-orgs.yaml@8'), '--at', '23h');
    assert.equal(r.code, 2);
    assert.match(r.err, /--at 23h: .*two-orgs\.yaml: this run of 8 peers for 23h would cause about/);
  });

  it('diff A@SEED refuses a seed run --seed refuses', async () => {
    const r = await cli('diff', `${victim}@99999999999999999999`, victim);
    assert.equal(r.code, 2);
    assert.match(r.err, /victim\.yaml@SEED must be an integer between 0 and 9007199254740991 .*got '99999999999999999999'/);
    assert.equal((await cli('run', victim, '--seed', '99999999999999999999')).code, 2);
  });
});
