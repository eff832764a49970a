/**
 * What the demo keeps between runs, in a local gitignored file beside wrangler's own state: the
 * simulator's seed and start (so a re-run replays the same devices and continues where the data
 * stops), how far it has posted, and the device tokens (the API shows each only once).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DemoState {
  version: 1;
  seed: number;
  /** First simulated instant (epoch ms). */
  start: number;
  /** Everything the devices transmitted up to here has been posted (epoch ms). */
  postedUntil: number;
  small: boolean;
  /** Device id → token. */
  tokens: Record<string, string>;
}

export async function readState(path: string): Promise<DemoState | null> {
  try {
    const s = JSON.parse(await readFile(path, 'utf8')) as DemoState;
    return s.version === 1 && typeof s.start === 'number' && s.tokens ? s : null;
  } catch {
    return null;
  }
}

/** Write atomically: a Ctrl-C mid-write must not leave half a file (and lose the tokens). */
export async function writeState(path: string, state: DemoState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, path);
}
