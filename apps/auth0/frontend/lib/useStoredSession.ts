"use client";

import { useEffect, useRef, useState } from "react";
import type { StatusUpdate } from "./protocol";
import {
  clearSession,
  displayName,
  parseSession,
  readSession,
  SESSION_KEY,
  secondsLeft,
  type StoredSession,
  writeSession,
} from "./session";

/** The longest delay setTimeout accepts (about 24.8 days); a later expiry re-arms the timer. */
const MAX_TIMER_MS = 2_147_483_647;
/** Renew this long before the access token expires (or at once, when less is left). */
const RENEW_EARLY_SECONDS = 60;

/** A renewed session from the component's server (nextjs-auth0 and the refresh token it
 * holds), or null when it cannot renew (no session there, or the provider refused). */
async function renewed(): Promise<StoredSession | null> {
  try {
    const response = await fetch("/api/session", { method: "POST", cache: "no-store", credentials: "same-origin" });
    return response.ok ? parseSession(await response.text()) : null;
  } catch {
    return null;
  }
}

function statusOf(session: StoredSession): StatusUpdate {
  return {
    status: "logged_in",
    user: session.user,
    accessToken: session.accessToken,
    expiresAt: session.expiresAt,
    scope: session.scope,
  };
}

/** The stored session, kept current without polling: `storage` events tell of the popup's
 * login and logout, and one timer fires at the expiry time. `report` hears every change (and
 * the state found at start-up), once each. */
export function useStoredSession(enabled: boolean, report: (update: StatusUpdate) => void): StoredSession | null {
  const [session, setSession] = useState<StoredSession | null>(null);
  const reportRef = useRef(report);
  reportRef.current = report;
  // Kept across effect re-runs (React's strict mode runs effects twice in development).
  const lastReported = useRef("");

  useEffect(() => {
    if (!enabled) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tell = (update: StatusUpdate, fingerprint: string): void => {
      if (fingerprint !== lastReported.current) {
        lastReported.current = fingerprint;
        reportRef.current(update);
      }
    };

    const sync = (reason: string): void => {
      clearTimeout(timer);
      let current: StoredSession | null;
      try {
        current = readSession();
      } catch (error) {
        setSession(null);
        tell({ status: "logged_out", reason: `local storage unavailable: ${String(error)}` }, "blocked");
        return;
      }
      if (current !== null && secondsLeft(current) <= 0) {
        clearSession(); // no storage event here: other documents hear of it, this one reports it
        setSession(null);
        tell({ status: "expired", reason: "the access token expired" }, "expired");
        return;
      }
      setSession(current);
      if (current === null) {
        tell({ status: "logged_out", reason }, "out");
        return;
      }
      tell(statusOf(current), `in:${current.user.sub}:${current.expiresAt}`);
      const renewIn = Math.min(Math.max((secondsLeft(current) - RENEW_EARLY_SECONDS) * 1000, 0), MAX_TIMER_MS);
      timer = setTimeout(() => void renew(current), renewIn);
    };

    // Before the token expires: a new one through the refresh token, stored for every
    // document (they hear of it through `storage`); if that fails, the session ends at expiry.
    const renew = async (old: StoredSession): Promise<void> => {
      const fresh = await renewed();
      if (fresh !== null && fresh.user.sub === old.user.sub && secondsLeft(fresh) > 0) {
        writeSession(fresh);
        sync("session renewed");
        return;
      }
      const left = Math.min(Math.max(secondsLeft(old) * 1000, 0), MAX_TIMER_MS);
      clearTimeout(timer);
      timer = setTimeout(() => sync(`${displayName(old.user)}'s token expired`), left);
    };

    const onStorage = (event: StorageEvent): void => {
      if (event.key === SESSION_KEY || event.key === null) {
        sync(event.newValue === null ? "logged out" : "session changed");
      }
    };
    window.addEventListener("storage", onStorage);
    sync("no session stored");
    return () => {
      clearTimeout(timer);
      window.removeEventListener("storage", onStorage);
    };
  }, [enabled]);

  return session;
}
