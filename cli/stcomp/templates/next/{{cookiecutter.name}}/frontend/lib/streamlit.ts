// The Streamlit component protocol, version 1, spoken directly over postMessage (no library).
// In: "streamlit:render" messages carry the Python props as `args`.
// Out: componentReady, setFrameHeight, and setComponentValue carrying an event envelope
// {event, data, id} that stcomp.host.ComponentHost dispatches once per id.

export interface Theme {
  base?: "light" | "dark";
  primaryColor?: string;
  backgroundColor?: string;
  secondaryBackgroundColor?: string;
  textColor?: string;
  font?: string;
}

export interface Render<Args> {
  args: Args;
  disabled: boolean;
  theme?: Theme;
}

export interface EventEnvelope<Data> {
  event: string;
  data: Data;
  id: string;
}

type Outgoing =
  | { type: "streamlit:componentReady"; apiVersion: 1 }
  | { type: "streamlit:setComponentValue"; value: unknown; dataType: "json" }
  | { type: "streamlit:setFrameHeight"; height: number };

function post(message: Outgoing): void {
  if (typeof window !== "undefined" && window.parent !== window) {
    window.parent.postMessage({ isStreamlitMessage: true, ...message }, "*");
  }
}

/** Tell Streamlit the component listens; Streamlit answers with a render message. */
export function componentReady(): void {
  post({ type: "streamlit:componentReady", apiVersion: 1 });
}

/** Call `listener` with every render message; returns the unsubscribe function. */
export function onRender<Args>(listener: (render: Render<Args>) => void): () => void {
  const handle = (message: MessageEvent): void => {
    const body = message.data as { type?: unknown } & Partial<Render<Args>>;
    if (message.source !== window.parent || body?.type !== "streamlit:render" || !body.args) {
      return;
    }
    listener({ args: body.args, disabled: Boolean(body.disabled), theme: body.theme });
  };
  window.addEventListener("message", handle);
  return () => window.removeEventListener("message", handle);
}

let sent = 0;

/** Send a named event to the Python host, with a fresh id. */
export function sendEvent<Data>(event: string, data: Data): EventEnvelope<Data> {
  sent += 1;
  const envelope = { event, data, id: `${Date.now().toString(36)}-${sent}` };
  post({ type: "streamlit:setComponentValue", value: envelope, dataType: "json" });
  return envelope;
}

/** Keep the iframe as tall as `element`; returns the function that stops it. */
export function fitFrameHeight(element: HTMLElement): () => void {
  let last = -1;
  const update = (): void => {
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      post({ type: "streamlit:setFrameHeight", height });
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(element);
  update();
  return () => observer.disconnect();
}

/** Follow Streamlit's theme through CSS variables. */
export function applyTheme(theme: Theme | undefined): void {
  if (!theme) {
    return;
  }
  const style = document.documentElement.style;
  const vars: Record<string, string | undefined> = {
    "--primary": theme.primaryColor,
    "--bg": theme.backgroundColor,
    "--text": theme.textColor,
    "--font": theme.font,
  };
  for (const [name, value] of Object.entries(vars)) {
    if (value) {
      style.setProperty(name, value);
    }
  }
}
