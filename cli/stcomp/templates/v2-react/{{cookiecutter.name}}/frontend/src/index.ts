import type { FrontendRenderer } from "@streamlit/component-v2-lib";
import { createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { Component, type Data, LABEL, type State } from "./Component";
import css from "./style.css?inline";

const roots = new WeakMap<HTMLElement | ShadowRoot, Root>();

/** Called on every rerun with the latest data, on the same parent element: the first call
 * mounts React there, later ones render the new data into the same root. A rebuilt module
 * (the dev loop) has no root yet: it replaces the old module's container and takes its click
 * count over. */
const render: FrontendRenderer<State, Data> = ({ data, parentElement, setStateValue, setTriggerValue }) => {
  let root = roots.get(parentElement);
  let initialClicks = 0;
  if (root === undefined) {
    const old = parentElement.querySelector<HTMLElement>("[data-component-root]");
    initialClicks = Number(old?.querySelector<HTMLElement>(".card")?.dataset.clicks ?? 0);
    old?.remove();
    const style = parentElement.querySelector("style[data-component]") ?? document.createElement("style");
    style.setAttribute("data-component", "");
    style.textContent = css;
    parentElement.appendChild(style);
    const container = document.createElement("div");
    container.dataset.componentRoot = LABEL;
    parentElement.appendChild(container);
    root = createRoot(container);
    roots.set(parentElement, root);
  }
  root.render(createElement(Component, { data, initialClicks, setStateValue, setTriggerValue }));
  return () => {
    // Streamlit calls this when the component leaves the page.
    roots.get(parentElement)?.unmount();
    roots.delete(parentElement);
  };
};

export default render;
