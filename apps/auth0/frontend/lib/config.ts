// Server-side settings, read from the environment at request time (never at build time).
// One set of variable names for every service of the stack: AUTH0_DOMAIN, AUTH0_CLIENT_ID,
// AUTH0_CLIENT_SECRET, AUTH0_AUDIENCE, AUTH0_SECRET, APP_BASE_URL (see .env.example).

export const DEFAULT_CLIENT_ID = "stcomp-local";
export const DEFAULT_AUDIENCE = "https://stcomp.local/api";
export const SCOPE = "openid profile email read:messages";

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

function env(name: string): string {
  return (process.env[name] ?? "").trim();
}

function port(name: string, fallback: number): string {
  return env(name) || String(fallback);
}

/** The local provider's address as nextjs-auth0 accepts it: it rejects IP literals (and an
 * issuer on 127.0.0.1 with them), so the loopback host is named `localhost`. */
export function localProviderUrl(): string {
  const idpUrl = env("IDP_URL") || `http://127.0.0.1:${port("IDP_PORT", 9010)}`;
  const url = new URL(idpUrl);
  if (url.hostname === "127.0.0.1") {
    url.hostname = "localhost";
  }
  return url.origin;
}

export function authSettings(): AuthSettings {
  const domain = env("AUTH0_DOMAIN") || localProviderUrl();
  const missing = ["AUTH0_CLIENT_SECRET", "AUTH0_SECRET"].filter((name) => env(name) === "");
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(" and ")} not set: stcomp generates local values into its run directory; ` +
        "for a real tenant copy .env.example to .env and fill it in",
    );
  }
  return {
    domain,
    clientId: env("AUTH0_CLIENT_ID") || DEFAULT_CLIENT_ID,
    clientSecret: env("AUTH0_CLIENT_SECRET"),
    audience: env("AUTH0_AUDIENCE") || DEFAULT_AUDIENCE,
    secret: env("AUTH0_SECRET"),
    appBaseUrl:
      env("APP_BASE_URL") || env("COMPONENT_URL") || `http://localhost:${port("COMPONENT_PORT", 3001)}`,
    allowInsecureRequests: domain.toLowerCase().startsWith("http://"),
  };
}

/** The Flask API, server to server. */
export function apiUrl(): string {
  return (env("API_URL") || `http://127.0.0.1:${port("API_PORT", 8888)}`).replace(/\/+$/, "");
}
