import type { FrontendRenderer, FrontendState } from "@streamlit/component-v2-lib";
import css from "./style.css?inline";

/** What Python sends (the `data` argument). */
interface Data {
  greeting: string;
}

/** What goes back: `clicks` is a state value (kept), `submitted` a trigger value (one rerun). */
interface State extends FrontendState {
  clicks: number;
  submitted: string;
}

const LABEL = "Click me";

/** Called on every rerun with the latest data, on the same parent element. A rebuilt module
 * (the dev loop) is called on the same element too, so this builds its DOM afresh and takes the
 * click count over from what was there. */
const render: FrontendRenderer<State, Data> = ({ data, parentElement, setStateValue, setTriggerValue }) => {
  let root = parentElement.querySelector<HTMLElement>(".card");
  if (root === null || root.dataset.label !== LABEL) {
    const clicks = Number(root?.dataset.clicks ?? 0);
    root?.remove();
    root = build(parentElement, clicks);
    const card = root;
    card.querySelector<HTMLButtonElement>("#click")!.onclick = () => {
      const next = Number(card.dataset.clicks) + 1;
      card.dataset.clicks = String(next);
      card.querySelector("#clicks")!.textContent = String(next);
      setStateValue("clicks", next);
    };
    card.querySelector("form")!.onsubmit = (event) => {
      event.preventDefault();
      const input = card.querySelector<HTMLInputElement>("#message")!;
      setTriggerValue("submitted", input.value);
      input.value = "";
    };
  }
  root.querySelector("#greeting")!.textContent = data.greeting;
};

function build(parent: HTMLElement | ShadowRoot, clicks: number): HTMLElement {
  let style = parent.querySelector<HTMLStyleElement>("style[data-component]");
  if (style === null) {
    style = document.createElement("style");
    style.dataset.component = "";
    parent.appendChild(style);
  }
  style.textContent = css;
  const card = document.createElement("div");
  card.className = "card";
  card.dataset.label = LABEL;
  card.dataset.clicks = String(clicks);
  card.innerHTML = `
    <h3 id="greeting"></h3>
    <button id="click" type="button">${LABEL}</button>
    clicked <span id="clicks">${clicks}</span> times
    <form><input id="message" placeholder="A message for Python" /><button id="send">Send</button></form>`;
  parent.appendChild(card);
  return card;
}

export default render;
