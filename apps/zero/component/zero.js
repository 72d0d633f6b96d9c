// Component Zero: speaks the Streamlit component protocol v1 directly (no library, no build).
// Host -> component: "streamlit:render" messages carrying the props as `args`.
// Component -> host: componentReady, setFrameHeight, and setComponentValue with an event
// envelope {event, data, id} that the Python ComponentHost dispatches once per id.
(() => {
  "use strict";

  const API_VERSION = 1;
  const mountId = Math.random().toString(36).slice(2, 10);
  let eventCounter = 0;
  let renderCount = 0;
  let seededInput = false;
  let lastHeight = -1;

  const $ = (id) => document.getElementById(id);

  function post(type, fields) {
    window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
  }

  function setFrameHeight() {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      post("streamlit:setFrameHeight", { height });
    }
  }

  function sendEvent(event, data) {
    eventCounter += 1;
    const id = `${mountId}-${Date.now()}-${eventCounter}`;
    post("streamlit:setComponentValue", { value: { event, data, id }, dataType: "json" });
    return id;
  }

  function applyTheme(theme) {
    if (!theme) return;
    const style = document.documentElement.style;
    const vars = {
      "--primary": theme.primaryColor,
      "--bg": theme.backgroundColor,
      "--bg-2": theme.secondaryBackgroundColor,
      "--text": theme.textColor,
      "--font": theme.font,
    };
    for (const [name, value] of Object.entries(vars)) {
      if (value) style.setProperty(name, value);
    }
    document.documentElement.dataset.theme = theme.base || "light";
  }

  function text(id, value) {
    $(id).textContent = value === undefined || value === null ? "–" : String(value);
  }

  function onRender(message) {
    const args = message.args || {};
    renderCount += 1;
    applyTheme(message.theme);
    text("greeting", args.greeting || "Component Zero");
    text("rerun-count", args.rerun_count);
    text("timestamp", args.timestamp);
    text("render-count", renderCount);
    const input = $("text-input");
    if (!seededInput) {
      input.value = args.initial_text || "";
      seededInput = true;
    }
    input.disabled = Boolean(message.disabled);
    $("send-button").disabled = Boolean(message.disabled);
    $("root").setAttribute("aria-busy", "false");
    setFrameHeight();
  }

  function onMessage(event) {
    const message = event.data;
    if (event.source !== window.parent || !message || message.type !== "streamlit:render") {
      return;
    }
    try {
      onRender(message);
    } catch (error) {
      sendEvent("onError", `render failed: ${error}`);
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    const value = $("text-input").value;
    sendEvent("onTextChange", { text: value });
    $("status").textContent = `Sent “${value}” to Streamlit.`;
  }

  text("mount-id", mountId);
  $("send-form").addEventListener("submit", onSubmit);
  window.addEventListener("message", onMessage);
  new ResizeObserver(setFrameHeight).observe(document.documentElement);
  window.addEventListener("resize", setFrameHeight);
  post("streamlit:componentReady", { apiVersion: API_VERSION });
})();
