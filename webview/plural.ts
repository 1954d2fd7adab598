/** "1 message", "2 messages", "1,024 events": a count with its noun, singular for one. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
