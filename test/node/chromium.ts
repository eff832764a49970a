/**
 * Which Chromium the browser tests drive, found once per run by vitest's globalSetup (the
 * `browser` project in vitest.config.ts) and handed to the tests through `provide` / `inject`.
 *
 * In order: `CHROMIUM_PATH`; `chromium` or `chromium-browser` on PATH (Debian's, with the CJK
 * fonts the zh-CN screenshots need); else the headless shell that the `@sparticuz/chromium`
 * devDependency carries inside itself, unpacked into the temporary directory with its own NSS
 * libraries (no download). With none of them the run stops before any test, with one line.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface ChromiumBinary {
  executablePath: string;
  /** Extra environment for the browser process (the bundled shell's own libraries and fonts). */
  env: Record<string, string>;
  /** Where it came from, for the run's log. */
  source: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumBinary;
  }
}

const INSTALL_HINT =
  'No Chromium for the browser tests: run `npm install` (it brings @sparticuz/chromium, Linux x64 only), or install Chromium (`apt-get install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The Chromium packed inside @sparticuz/chromium, unpacked (once per machine) into tmpdir. */
async function bundledChromium(): Promise<ChromiumBinary | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let mod: typeof import('@sparticuz/chromium');
  try {
    mod = await import('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  const bin = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'bin');
  if (!existsSync(join(bin, 'chromium.br'))) return undefined;
  const executablePath = await mod.default.executablePath(bin);
  // NSS and expat built for the shell (the package unpacks them itself only on AWS Lambda), so a
  // machine without Debian's Chromium and its dependencies still runs it.
  const libs = join(await mod.inflate(join(bin, 'al2023.tar.br')), 'lib');
  const env: Record<string, string> = { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter) };
  // The system's font configuration when there is one (it may hold CJK fonts); else the package's.
  if (!existsSync('/etc/fonts/fonts.conf')) env.FONTCONFIG_PATH = join(tmpdir(), 'fonts');
  return { executablePath, env, source: '@sparticuz/chromium' };
}

export async function findChromium(): Promise<ChromiumBinary | undefined> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return executable(fromEnv) ? { executablePath: fromEnv, env: {}, source: 'CHROMIUM_PATH' } : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    const path = onPath(name);
    if (path) return { executablePath: path, env: {}, source: `${name} on PATH` };
  }
  return bundledChromium();
}

/** vitest globalSetup: find the browser before any test starts, or stop the run with one line. */
export default async function setup(project: TestProject): Promise<void> {
  const found = await findChromium();
  if (!found) {
    const why = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file.` : INSTALL_HINT;
    // One line, not a stack trace: this is a missing prerequisite, not a failing test.
    process.stderr.write(`\n${why}\n\n`);
    process.exit(1);
  }
  process.stdout.write(`Browser tests use Chromium from ${found.source}: ${found.executablePath}\n`);
  project.provide('chromium', found);
}
