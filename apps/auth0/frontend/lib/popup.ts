// Login and logout run in a popup: the component's iframe cannot navigate the top page. Both
// come back to the app's root (login: nextjs-auth0's default return path "/"; logout:
// APP_BASE_URL, the one logout URL to register), which is then the popup page.

export type PopupKind = "login" | "logout";

const URLS: Record<PopupKind, string> = { login: "/auth/login", logout: "/auth/logout" };
const FEATURES = "popup,width=520,height=720";

/** Open the login or logout popup; null when the browser blocked it. */
export function openAuthPopup(kind: PopupKind): Window | null {
  return window.open(URLS[kind], "stcomp-auth0", FEATURES);
}

/** This page is the popup our component opened (top-level, with an opener), not the
 * component in Streamlit's iframe nor a page opened on its own. */
export function isAuthPopup(): boolean {
  return window.parent === window && window.opener !== null;
}
