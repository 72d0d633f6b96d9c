"use client";

import { type CSSProperties, useEffect, useRef, useState } from "react";
import { DECK_SIZE, dealDeck, newMountId } from "@/lib/guesses";
import {
  type ActionRequest,
  EVENTS,
  type ErrorReport,
  type HeroArgs,
  parseArgs,
  type StatusUpdate,
} from "@/lib/heroProtocol";
import { sendEvent, type StreamlitTheme } from "@/lib/streamlit";
import { useErrorReporting } from "@/lib/useErrorReporting";
import { useStreamlit } from "@/lib/useStreamlit";

const PENDING_TIMEOUT_MS = 5000;

type Outcome = { kind: "idle" } | { kind: "wrong" | "right"; guess: string; attempt: number };

function themeStyle(theme: StreamlitTheme | undefined): CSSProperties {
  if (theme === undefined) {
    return {};
  }
  return {
    "--primary": theme.primaryColor,
    "--background": theme.backgroundColor,
    "--surface": theme.secondaryBackgroundColor,
    "--text": theme.textColor,
    "--font": theme.font,
  } as CSSProperties;
}

/** The Hero component: a fake password generator that logs in to the host. */
export default function Hero() {
  const root = useRef<HTMLDivElement>(null);
  const render = useStreamlit<unknown>(root);
  const args: HeroArgs | null = render === null ? null : parseArgs(render.args);
  const [mountId, setMountId] = useState("");
  const [deck, setDeck] = useState<string[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  const [pending, setPending] = useState(false);

  useErrorReporting();
  useEffect(() => setMountId(newMountId()), []);
  // Every event reruns the host, which sends new props: that ends the wait (or a timeout, should
  // the host not answer).
  useEffect(() => setPending(false), [render]);
  useEffect(() => {
    if (!pending) {
      return undefined;
    }
    const timer = window.setTimeout(() => setPending(false), PENDING_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [pending]);

  const password = args?.password ?? "";
  const loggedIn = args?.token === true;
  const busy = pending || render?.disabled === true;
  const connected = render !== null;

  useEffect(() => {
    if (connected && password === "") {
      sendEvent<ErrorReport>(EVENTS.error, { message: "The host sent no password to guess." });
    }
  }, [connected, password]);

  // A login (confirmed by the host's token) starts the next round of guesses afresh.
  useEffect(() => {
    if (loggedIn) {
      setDeck([]);
      setAttempt(0);
      setOutcome({ kind: "idle" });
    }
  }, [loggedIn]);

  const send = <Data,>(event: string, data: Data): void => {
    setPending(true);
    sendEvent(event, data);
  };

  const generateGuess = (): void => {
    const current = attempt % DECK_SIZE === 0 || deck.length === 0 ? dealDeck(password) : deck;
    const guess = current[attempt % DECK_SIZE];
    const number = attempt + 1;
    setDeck(current);
    setAttempt(number);
    const right = guess === password;
    setOutcome({ kind: right ? "right" : "wrong", guess, attempt: number });
    send<StatusUpdate>(EVENTS.statusUpdate, {
      token: right,
      message: right
        ? `Logged in to ${args?.hostName} with guess #${number}`
        : `Guess #${number} was wrong`,
    });
  };

  const logout = (): void => {
    send<StatusUpdate>(EVENTS.statusUpdate, { token: false, message: "Logged out" });
  };

  const requestAction = (action: string, props: Record<string, unknown>): void =>
    send<ActionRequest>(EVENTS.actionRequest, { action, props });

  return (
    <div ref={root} className="hero" style={themeStyle(render?.theme)}>
      <header className="hero-header">
        <h2>
          Password generator <span className="muted">for {args?.hostName ?? "…"}</span>
        </h2>
        <span className="badge" title="Changes only when the iframe is remounted">
          mount <code data-testid="mount-id">{mountId}</code>
        </span>
      </header>

      {args === null ? (
        <p className="muted">Waiting for the Streamlit host…</p>
      ) : password === "" ? (
        <p className="message error" role="alert">
          The host sent no password, so nobody can log in.
        </p>
      ) : loggedIn ? (
        <div className="row">
          <p className="message success" data-testid="login-state">
            Logged in to {args.hostName}.
          </p>
          <button type="button" onClick={logout} disabled={busy}>
            Logout
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="primary" onClick={generateGuess} disabled={busy}>
            Generate password guess
          </button>
          <GuessOutcome outcome={outcome} />
        </div>
      )}

      {args !== null && (
        <>
          <div className="row actions">
            <button
              type="button"
              onClick={() => requestAction("notify", { message: `Hello from mount ${mountId}` })}
              disabled={busy}
            >
              Ask host to notify
            </button>
            <button
              type="button"
              onClick={() => requestAction("echo", { text: "ping", sentAt: Date.now() })}
              disabled={busy}
            >
              Echo via host
            </button>
            {args.debug && (
              <button
                type="button"
                className="link"
                onClick={() => send(EVENTS.unknown, { note: "debug: not subscribed by the host" })}
                disabled={busy}
              >
                Send unknown event
              </button>
            )}
          </div>
          <p className="status">
            Host status: <span data-testid="host-status">{args.status || "—"}</span>
          </p>
        </>
      )}
    </div>
  );
}

function GuessOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "idle") {
    return <p className="muted">Up to {DECK_SIZE} guesses get you in.</p>;
  }
  if (outcome.kind === "right") {
    return (
      <p className="message success">
        Guess #{outcome.attempt} <code>{outcome.guess}</code> is right, logging in…
      </p>
    );
  }
  return (
    <p className="message warning" data-testid="retry-message">
      Guess #{outcome.attempt} <code>{outcome.guess}</code> is wrong. Try again.
    </p>
  );
}
