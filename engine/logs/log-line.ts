/**
 * One line of a Fabric peer's log, in either of flogging's layouts:
 *   peer default  `2026-12-03 11:54:49.684 UTC [gossip.discovery] periodicalSendAlive -> DEBU 0a3 Sleeping 5s`
 *   test layout   `2026-12-03 11:54:49.684 UTC 0002 DEBU [gossip.discovery#127.0.0.1:43465] periodicalSendAlive -> Sleeping 5s`
 * with what `docker logs` and `docker compose logs` put around it (colour codes, a
 * `--timestamps` prefix, a `peer0.org1.example.com  | ` service prefix) taken off.
 */

export type Level = 'DEBU' | 'INFO' | 'WARN' | 'ERRO' | 'PANI' | 'FATA';

export interface LogLine {
  /** ms since the epoch, on the clock of the host that wrote it. */
  time: number;
  level: Level;
  /** The logger: gossip.discovery. */
  logger: string;
  /** What follows `#` in a test-mode logger name (gossip.gossip#p0): which peer wrote it. */
  tag?: string;
  /** The Go function (shortfunc): handleMessage. */
  func: string;
  message: string;
  /** `docker compose logs` service name in front of the line, if any. */
  service?: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const DOCKER_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z /;
const SERVICE = /^([A-Za-z0-9][A-Za-z0-9_.-]*)\s+\|\s?/;
const STAMP = '(\\d{4})-(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) (\\S+)';
const LEVEL = '(DEBU|INFO|WARN|ERRO|PANI|FATA)';
const PEER_LAYOUT = new RegExp(`^${STAMP} \\[([^\\]\\s]+)\\] (\\S+) -> ${LEVEL} [0-9a-f]+ ?(.*)$`);
const TEST_LAYOUT = new RegExp(`^${STAMP} [0-9a-f]+ ${LEVEL} \\[([^\\]\\s]+)\\] (\\S+) -> ?(.*)$`);

/** The offset of a zone name flogging may print (Go's MST layout); undefined when unknown. */
function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return undefined;
}

/** Why a line is not one of Fabric's log lines, and the column (1-based, in the line as read) where it goes wrong. */
export class NotALogLine {
  constructor(
    readonly reason: string,
    readonly col = 1,
  ) {}
  toString(): string {
    return this.reason;
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The first field of a stamp that no clock shows (`2026-13-45 99:99:99`), with its offset in the
 * stamp; Date.UTC would roll it over into another day silently.
 */
function impossibleField(y: number, mo: number, d: number, h: number, mi: number, s: number): [string, number] | undefined {
  if (mo < 1 || mo > 12) return [`month ${mo}`, 5];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1];
  if (d < 1 || d > days) return [`day ${d} (month ${mo} of ${y} has ${days})`, 8];
  if (h > 23) return [`hour ${h}`, 11];
  if (mi > 59) return [`minute ${mi}`, 14];
  if (s > 59) return [`second ${s}`, 17];
  return undefined;
}

/** A parsed line, or why it is not one of Fabric's log lines. */
export function parseLogLine(raw: string): LogLine | NotALogLine {
  let s = raw.replace(ANSI, '').replace(/\r$/, '');
  let service: string | undefined;
  const svc = SERVICE.exec(s);
  if (svc && !/^\d{4}-/.test(s)) {
    service = svc[1];
    s = s.slice(svc[0].length);
  }
  s = s.replace(DOCKER_TS, '');
  let m = PEER_LAYOUT.exec(s);
  let level: string, loggerName: string, func: string, message: string;
  if (m) [level, loggerName, func, message] = [m[11], m[9], m[10], m[12]];
  else {
    m = TEST_LAYOUT.exec(s);
    if (!m) return new NotALogLine('not a Fabric log line (timestamp, level, [logger], function ->)');
    [level, loggerName, func, message] = [m[9], m[10], m[11], m[12]];
  }
  const stampAt = Math.max(0, raw.indexOf(m[0].slice(0, 23)));
  const bad = impossibleField(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
  if (bad) return new NotALogLine(`impossible timestamp '${m[0].slice(0, 23)}': ${bad[0]}`, stampAt + bad[1] + 1);
  const offset = zoneOffsetMs(m[8]);
  if (offset === undefined) return new NotALogLine(`time zone '${m[8]}' is not UTC or a numeric offset: run the peer with TZ=UTC`, stampAt + 25);
  const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) - offset;
  const hash = loggerName.indexOf('#');
  const line: LogLine = { time, level: level as Level, logger: hash < 0 ? loggerName : loggerName.slice(0, hash), func, message };
  if (hash >= 0) line.tag = loggerName.slice(hash + 1);
  if (service !== undefined) line.service = service;
  return line;
}
