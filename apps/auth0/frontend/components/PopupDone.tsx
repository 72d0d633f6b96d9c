"use client";

import { useEffect, useRef, useState } from "react";
import { clearSession, displayName, parseSession, writeSession } from "@/lib/session";

type Outcome = { kind: "working" } | { kind: "done"; text: string } | { kind: "failed"; text: string };

/** Copy the server's session (nextjs-auth0's cookie) into local storage, or clear it when there
 * is none; the component in Streamlit hears of it through a storage event. */
async function syncSession(): Promise<string> {
  const response = await fetch("/api/session", { cache: "no-store", credentials: "same-origin" });
  if (response.status === 401) {
    clearSession();
    return "Logged out.";
  }
  if (!response.ok) {
    throw new Error(`the session could not be read (HTTP ${response.status})`);
  }
  const session = parseSession(await response.text());
  if (session === null) {
    throw new Error("the session answer was incomplete");
  }
  writeSession(session);
  return `Logged in as ${displayName(session.user)}.`;
}

/** The page the login and logout popups come back to: sync the session, then close. */
export default function PopupDone() {
  const [outcome, setOutcome] = useState<Outcome>({ kind: "working" });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) {
      return; // once, also under React's strict mode in development
    }
    started.current = true;
    syncSession().then(
      (text) => {
        setOutcome({ kind: "done", text });
        window.close();
      },
      (error: unknown) =>
        setOutcome({ kind: "failed", text: `Login failed: ${error instanceof Error ? error.message : String(error)}` }),
    );
  }, []);

  return (
    <main className="popup">
      <h1>Auth0 component</h1>
      {outcome.kind === "working" && <p className="muted">Finishing…</p>}
      {outcome.kind === "done" && (
        <p className="message success" data-testid="popup-outcome">
          {outcome.text} This window closes itself; close it if it does not.
        </p>
      )}
      {outcome.kind === "failed" && (
        <p className="message error" role="alert" data-testid="popup-outcome">
          {outcome.text}
        </p>
      )}
    </main>
  );
}
