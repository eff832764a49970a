import type { Role } from './schemas/common.ts';

/** Who is calling: resolved once per request by the auth middleware. */
export interface Caller {
  /** `admin-secret` for the ADMIN_TOKEN bootstrap secret, else the API token's id. */
  id: string;
  role: Role;
  /** The person the token belongs to (staff tokens do), for attribution; null otherwise. */
  person: string | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    caller?: Caller;
  };
}
