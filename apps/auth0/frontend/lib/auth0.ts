// The nextjs-auth0 v4 client (server side only), created on first use so that `next build`
// needs no settings.
import { Auth0Client } from "@auth0/nextjs-auth0/server";
import { authSettings, SCOPE } from "./config";

let client: Auth0Client | null = null;

export function auth0(): Auth0Client {
  if (client === null) {
    const settings = authSettings();
    client = new Auth0Client({
      domain: settings.domain,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      secret: settings.secret,
      appBaseUrl: settings.appBaseUrl,
      allowInsecureRequests: settings.allowInsecureRequests,
      authorizationParameters: { audience: settings.audience, scope: SCOPE },
      // Auth0's /v2/logout (the local provider has no OIDC end_session_endpoint); it returns to
      // APP_BASE_URL, the logout URL to register.
      logoutStrategy: "v2",
      enableTelemetry: false,
    });
  }
  return client;
}
