import { Component } from "../components/Component";

// The root page is the component: the static export's out/index.html is what Streamlit serves.
export default function Page() {
  return <Component />;
}
