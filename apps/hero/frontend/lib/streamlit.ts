// The Streamlit custom-component protocol, version 1, spoken directly over postMessage.
// (streamlit-component-lib pins React 16, so this app does not use it.)

/** The theme Streamlit sends with every render message. */
export interface StreamlitTheme {
  base: "light" | "dark";
  primaryColor: string;
  backgroundColor: string;
  secondaryBackgroundColor: string;
  textColor: string;
  font: string;
}

/** The body of a `streamlit:render` message; `args` are the host's props. */
export interface RenderEvent<Args> {
  args: Args;
  disabled: boolean;
  theme?: StreamlitTheme;
}

/** What the host reads back: each event has an id so it is dispatched exactly once. */
export interface EventEnvelope<Data> {
  event: string;
  data: Data;
  id: string;
}

const API_VERSION = 1;

type OutgoingMessage =
  | { type: "streamlit:componentReady"; apiVersion: number }
  | { type: "streamlit:setComponentValue"; value: unknown; dataType: "json" }
  | { type: "streamlit:setFrameHeight"; height: number };

function post(message: OutgoingMessage): void {
  if (typeof window === "undefined" || window.parent === window) {
    return; // not inside a Streamlit iframe (e.g. the page opened on its own)
  }
  window.parent.postMessage({ isStreamlitMessage: true, ...message }, "*");
}

/** Tell Streamlit the component is listening; it answers with a render message. */
export function componentReady(): void {
  post({ type: "streamlit:componentReady", apiVersion: API_VERSION });
}

/** Subscribe to render messages; returns the unsubscribe function. */
export function onRender<Args>(listener: (event: RenderEvent<Args>) => void): () => void {
  const handle = (message: MessageEvent): void => {
    const body: unknown = message.data;
    if (typeof body !== "object" || body === null) {
      return;
    }
    const data = body as { type?: unknown } & Partial<RenderEvent<Args>>;
    if (data.type !== "streamlit:render" || data.args === undefined) {
      return;
    }
    listener({ args: data.args, disabled: Boolean(data.disabled), theme: data.theme });
  };
  window.addEventListener("message", handle);
  return () => window.removeEventListener("message", handle);
}

/** Set the component's value (JSON); Streamlit reruns the host script. */
export function setComponentValue(value: unknown): void {
  post({ type: "streamlit:setComponentValue", value, dataType: "json" });
}

/** Set the iframe's height in pixels. */
export function setFrameHeight(height: number): void {
  post({ type: "streamlit:setFrameHeight", height: Math.ceil(height) });
}

let eventCounter = 0;

/** Send a named event to the host as an event envelope with a fresh id. */
export function sendEvent<Data>(event: string, data: Data): EventEnvelope<Data> {
  eventCounter += 1;
  const envelope: EventEnvelope<Data> = {
    event,
    data,
    id: `${Date.now().toString(36)}-${eventCounter}`,
  };
  setComponentValue(envelope);
  return envelope;
}

/** Keep the iframe as tall as `element`; returns the function that stops watching it. */
export function autoFrameHeight(element: HTMLElement): () => void {
  let last = -1;
  const update = (): void => {
    const height = element.getBoundingClientRect().height;
    if (Math.ceil(height) !== last) {
      last = Math.ceil(height);
      setFrameHeight(height);
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(element);
  update();
  return () => observer.disconnect();
}
