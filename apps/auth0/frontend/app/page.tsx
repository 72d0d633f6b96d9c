"use client";

import { useEffect, useState } from "react";
import Auth0Component from "@/components/Auth0Component";
import PopupDone from "@/components/PopupDone";
import { isAuthPopup } from "@/lib/popup";

type View = "pending" | "component" | "popup";

// The root page is the component (in Streamlit's iframe) and, in the login or logout popup,
// the page the provider sends the user back to.
export default function Page() {
  const [view, setView] = useState<View>("pending");
  useEffect(() => setView(isAuthPopup() ? "popup" : "component"), []);
  if (view === "pending") {
    return null;
  }
  return view === "popup" ? <PopupDone /> : <Auth0Component />;
}
