// Server-side settings, read from the environment at request time (never at build time).
// There are no defaults here: the stack definition (or .env for a real tenant) provides every
// value, and the local provider's wiring lives once, in server/shared/reference.py. A missing
// value is an error that names the variable.
//
// Read: AUTH0_DOMAIN (unset: the local provider at IDP_URL), AUTH0_CLIENT_ID,
// AUTH0_CLIENT_SECRET, AUTH0_AUDIENCE, AUTH0_SECRET, APP_BASE_URL (unset: COMPONENT_URL),
// API_URL.

// offline_access: a refresh token, so that the component's session renews instead of expiring.
export const SCOPE = "openid profile email offline_access read:messages";

export interface AuthSettings {
  /** A bare Auth0 domain, or an http(s):// base URL for the local provider. */
  domain: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  secret: string;
  appBaseUrl: string;
  /** Only for a plain-http provider (the local one): nextjs-auth0 refuses http otherwise. */
  allowInsecureRequests: boolean;
}

/** A setting the environment does not provide; the message names the variable(s). */
export class MissingSettingError extends Error {
  readonly names: string[];

  constructor(names: string[]) {
    super(
      `${names.join(", ")} ${names.length === 1 ? "is" : "are"} not set in the auth0 ` +
        "component's environment, and it has no defaults: `stcomp up auth0` provides them for " +
        "the local identity provider; for a real tenant copy .env.example to .env and fill it in",
    );
    this.name = "MissingSettingError";
    this.names = names;
  }
}

function env(name: string): string {
  return (process.env[name] ?? "").trim();
}

/** Throw one error naming every variable whose value is empty. */
function requireAll(values: [name: string, value: string][]): void {
  const missing = values.filter(([, value]) => value === "").map(([name]) => name);
  if (missing.length > 0) {
    throw new MissingSettingError(missing);
  }
}

/** The local provider's address as nextjs-auth0 accepts it: it rejects IP literals (and an
 * issuer on 127.0.0.1 with them), so the loopback host is named `localhost`. "" stays "". */
export function localProviderUrl(idpUrl: string): string {
  if (idpUrl === "") {
    return "";
  }
  const url = new URL(idpUrl);
  if (url.hostname === "127.0.0.1") {
    url.hostname = "localhost";
  }
  return url.origin;
}

export function authSettings(): AuthSettings {
  const domain = env("AUTH0_DOMAIN") || localProviderUrl(env("IDP_URL"));
  const settings: AuthSettings = {
    domain,
    clientId: env("AUTH0_CLIENT_ID"),
    clientSecret: env("AUTH0_CLIENT_SECRET"),
    audience: env("AUTH0_AUDIENCE"),
    secret: env("AUTH0_SECRET"),
    appBaseUrl: env("APP_BASE_URL") || env("COMPONENT_URL"),
    allowInsecureRequests: domain.toLowerCase().startsWith("http://"),
  };
  requireAll([
    ["AUTH0_DOMAIN (or IDP_URL for the local provider)", settings.domain],
    ["AUTH0_CLIENT_ID", settings.clientId],
    ["AUTH0_CLIENT_SECRET", settings.clientSecret],
    ["AUTH0_AUDIENCE", settings.audience],
    ["AUTH0_SECRET", settings.secret],
    ["APP_BASE_URL (or COMPONENT_URL)", settings.appBaseUrl],
  ]);
  return settings;
}

/** The Flask API, server to server. */
export function apiUrl(): string {
  const url = env("API_URL");
  requireAll([["API_URL", url]]);
  return url.replace(/\/+$/, "");
}
