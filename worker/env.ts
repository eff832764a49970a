import type { Role } from './schemas/common.ts';

/** Who is calling: resolved once per request by the auth middleware. */
export interface Caller {
  /** `admin-secret` for the ADMIN_TOKEN bootstrap secret, else the API token's id. */
  id: string;
  role: Role;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    caller?: Caller;
  };
}
