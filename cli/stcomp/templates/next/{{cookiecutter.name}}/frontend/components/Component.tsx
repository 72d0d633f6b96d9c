"use client";

import { useEffect, useRef, useState } from "react";
import { applyTheme, connect, fitFrameHeight, sendEvent } from "../lib/streamlit";

/** The props `{{ cookiecutter.name }}(greeting)` sends from Python. */
interface Args {
  greeting: string;
}

export function Component() {
  const [args, setArgs] = useState<Args | null>(null);
  const [disabled, setDisabled] = useState(false);
  const [clicks, setClicks] = useState(0);
  const card = useRef<HTMLElement>(null);

  useEffect(
    () =>
      connect<Args>((render) => {
        applyTheme(render.theme);
        setArgs(render.args);
        setDisabled(render.disabled);
      }),
    [],
  );

  useEffect(() => (card.current ? fitFrameHeight(card.current) : undefined), []);

  const click = (): void => {
    const next = clicks + 1;
    setClicks(next);
    sendEvent("onClick", { clicks: next });
  };

  return (
    <main ref={card} className="card" aria-busy={args === null}>
      <h2 id="greeting">{args ? args.greeting : "Waiting for Streamlit…"}</h2>
      <div className="row">
        <button id="click" type="button" onClick={click} disabled={disabled || args === null}>
          Click me
        </button>
        <span>
          Clicked <strong id="clicks">{clicks}</strong> times
        </span>
      </div>
    </main>
  );
}
