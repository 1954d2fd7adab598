/**
 * configtx.yaml: organizations (Name, ID = MSP ID, MSPDir, AnchorPeers) and the application
 * channel profiles (a profile with an `Application:` section and its Organizations). A channel's
 * ID is not in the file (it is `configtxgen -channelID`), so a channel is named after its profile.
 */
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Origin, YamlNode, YamlSource } from './yaml-source.js';

export interface AnchorPeer {
  host: string;
  port: string;
  origin: Origin;
  /** Where Port is written (the Host's origin when there is no Port). */
  portOrigin?: Origin;
}

export interface ConfigtxOrg {
  name: string;
  mspId: string;
  mspIdOrigin: Origin;
  /** MSPDir, which names the crypto-config domain (…/peerOrganizations/org1.example.com/msp). */
  mspDir?: string;
  anchorPeers: AnchorPeer[];
  anchorsOrigin?: Origin;
}

export interface ConfigtxChannel {
  profile: string;
  origin: Origin;
  /** MSP IDs, each with where it was listed. */
  orgs: { mspId: string; origin: Origin }[];
}

export interface Configtx {
  orgs: ConfigtxOrg[];
  channels: ConfigtxChannel[];
  orderer?: { batchTimeout?: { text: string; origin: Origin }; maxMessageCount?: { value: number; origin: Origin } };
}

export function readConfigtx(src: YamlSource, problems: Diagnostic[]): Configtx {
  const root = src.root;
  const orgList = root.get('Organizations');
  const orgs: ConfigtxOrg[] = [];
  if (!orgList?.isSeq()) problems.push((orgList ?? root).problem("configtx: no 'Organizations:' list"));
  for (const o of orgList?.items() ?? []) {
    const org = readOrg(o, problems);
    if (org) orgs.push(org);
  }

  const channels: ConfigtxChannel[] = [];
  const profiles = root.get('Profiles');
  for (const [name, p] of profiles?.entries() ?? []) {
    const app = p.get('Application');
    if (!app) continue; // an orderer genesis profile, not a channel
    const members = app.get('Organizations');
    const list: ConfigtxChannel['orgs'] = [];
    for (const m of members?.items() ?? []) {
      const id = m.get('ID');
      if (!id?.text()) {
        problems.push(m.problem(`configtx: profile ${name}: an application organization without an ID (MSP ID)`));
        continue;
      }
      list.push({ mspId: id.text()!, origin: m.origin });
    }
    if (list.length === 0) {
      problems.push((members ?? app).problem(`configtx: profile ${name} has an Application with no Organizations`));
      continue;
    }
    channels.push({ profile: name, origin: p.origin, orgs: list });
  }
  if (profiles && channels.length === 0) problems.push(profiles.problem('configtx: no profile with an Application section (an application channel)'));
  if (!profiles) problems.push(root.problem("configtx: no 'Profiles:' (the channel profiles)"));

  const ord = root.get('Orderer');
  const bt = ord?.get('BatchTimeout');
  const mmc = ord?.path('BatchSize.MaxMessageCount');
  const orderer: Configtx['orderer'] = {};
  if (bt?.text()) orderer.batchTimeout = { text: bt.text()!, origin: bt.origin };
  if (mmc !== undefined) {
    const v = Number(mmc.scalar());
    if (Number.isInteger(v) && v >= 1) orderer.maxMessageCount = { value: v, origin: mmc.origin };
    else problems.push(mmc.problem(`configtx: BatchSize.MaxMessageCount must be a whole number of at least 1, got '${mmc.text()}'`));
  }
  return { orgs, channels, orderer };
}

function readOrg(o: YamlNode, problems: Diagnostic[]): ConfigtxOrg | undefined {
  const id = o.get('ID');
  if (!id?.text()) {
    problems.push(o.problem('configtx: an organization without an ID (its MSP ID)'));
    return undefined;
  }
  const anchors: AnchorPeer[] = [];
  const a = o.get('AnchorPeers');
  for (const ap of a?.items() ?? []) {
    const host = ap.get('Host');
    const port = ap.get('Port');
    if (!host?.text()) {
      problems.push(ap.problem('configtx: an anchor peer needs a Host'));
      continue;
    }
    anchors.push({ host: host.text()!, port: port?.text() ?? '', origin: host.origin, portOrigin: port?.origin });
  }
  return {
    name: o.get('Name')?.text() ?? id.text()!,
    mspId: id.text()!,
    mspIdOrigin: id.origin,
    mspDir: o.get('MSPDir')?.text(),
    anchorPeers: anchors,
    anchorsOrigin: a?.origin,
  };
}
