import type { FrontendRendererArgs, FrontendState } from "@streamlit/component-v2-lib";
import { type FormEvent, useRef, useState } from "react";

/** What Python sends (the `data` argument). */
export interface Data {
  greeting: string;
}

/** What goes back: `clicks` is a state value (kept), `submitted` a trigger value (one rerun). */
export interface State extends FrontendState {
  clicks: number;
  submitted: string;
}

export const LABEL = "Click me";

type Props = Pick<FrontendRendererArgs<State, Data>, "data" | "setStateValue" | "setTriggerValue"> & {
  initialClicks: number;
};

export function Component({ data, initialClicks, setStateValue, setTriggerValue }: Props) {
  const [clicks, setClicks] = useState(initialClicks);
  const message = useRef<HTMLInputElement>(null);

  const click = () => {
    setClicks(clicks + 1);
    setStateValue("clicks", clicks + 1);
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    setTriggerValue("submitted", message.current?.value ?? "");
    if (message.current) message.current.value = "";
  };

  return (
    <div className="card" data-clicks={clicks}>
      <h3 id="greeting">{data.greeting}</h3>
      <button id="click" type="button" onClick={click}>
        {LABEL}
      </button>{" "}
      clicked <span id="clicks">{clicks}</span> times
      <form onSubmit={send}>
        <input id="message" ref={message} placeholder="A message for Python" />
        <button id="send">Send</button>
      </form>
    </div>
  );
}
