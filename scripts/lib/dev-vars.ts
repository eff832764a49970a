/** `.dev.vars`: wrangler's local secrets. The start command makes sure ADMIN_TOKEN is there. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

/** The ADMIN_TOKEN in `.dev.vars`, created (random, 256 bits) when the file or the line is missing. */
export async function ensureAdminToken(path: string): Promise<{ token: string; created: boolean }> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // no file yet
  }
  const m = /^\s*ADMIN_TOKEN\s*=\s*"?([^"\r\n]+?)"?\s*$/m.exec(text);
  if (m) return { token: m[1]!, created: false };
  const token = `adm_${randomBytes(32).toString('base64url')}`;
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  await writeFile(path, `${text}${sep}ADMIN_TOKEN=${token}\n`, { mode: 0o600 });
  return { token, created: true };
}

/** The Worker refuses an ADMIN_TOKEN shorter than this (worker/auth/roles.ts); start refuses it first. */
export const MIN_ADMIN_TOKEN_CHARS = 32;

/** Why an ADMIN_TOKEN cannot be used, or null when it can. */
export function adminTokenProblem(token: string): string | null {
  if (token.length >= MIN_ADMIN_TOKEN_CHARS) return null;
  return `ADMIN_TOKEN in .dev.vars is ${token.length} characters; at least ${MIN_ADMIN_TOKEN_CHARS} are required. Delete the line to have a random one made, or set a longer one.`;
}
