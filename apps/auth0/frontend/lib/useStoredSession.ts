"use client";

import { useEffect, useRef, useState } from "react";
import type { StatusUpdate } from "./protocol";
import { clearSession, displayName, readSession, SESSION_KEY, secondsLeft, type StoredSession } from "./session";

/** The longest delay setTimeout accepts (about 24.8 days); a later expiry re-arms the timer. */
const MAX_TIMER_MS = 2_147_483_647;

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
      const delay = Math.min(Math.max(secondsLeft(current) * 1000, 0), MAX_TIMER_MS);
      timer = setTimeout(() => sync(`${displayName(current.user)}'s token expired`), delay);
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
