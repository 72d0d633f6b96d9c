import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Component } from "./Component";
import "./style.css";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("index.html has no #root element");
}
createRoot(root).render(
  <StrictMode>
    <Component />
  </StrictMode>,
);
