// The login session as the component keeps it: one JSON value in the browser's local storage,
// written by the popup page and read (and watched) by the component in Streamlit's iframe.

export const SESSION_KEY = "stcomp.auth0.session";

export interface SessionUser {
  sub: string;
  name?: string;
  nickname?: string;
  email?: string;
  picture?: string;
}

export interface StoredSession {
  user: SessionUser;
  accessToken: string;
  idToken: string | null;
  /** Unix time in seconds, as nextjs-auth0's tokenSet.expiresAt. */
  expiresAt: number;
  scope: string;
}

export function parseSession(raw: string | null): StoredSession | null {
  if (raw === null) {
    return null;
  }
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof value.accessToken === "string" &&
      typeof value.expiresAt === "number" &&
      typeof value.user === "object" &&
      value.user !== null &&
      typeof value.user.sub === "string"
    ) {
      return {
        user: value.user,
        accessToken: value.accessToken,
        idToken: typeof value.idToken === "string" ? value.idToken : null,
        expiresAt: value.expiresAt,
        scope: typeof value.scope === "string" ? value.scope : "",
      };
    }
  } catch {
    // a damaged value counts as no session
  }
  return null;
}

export function readSession(): StoredSession | null {
  return parseSession(window.localStorage.getItem(SESSION_KEY));
}

export function writeSession(session: StoredSession): void {
  window.localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  window.localStorage.removeItem(SESSION_KEY);
}

export function secondsLeft(session: StoredSession, now: number = Date.now()): number {
  return session.expiresAt - now / 1000;
}

export function displayName(user: SessionUser): string {
  return user.name || user.nickname || user.email || user.sub;
}
