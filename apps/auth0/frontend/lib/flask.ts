// Server-side calls from the API routes to the Flask API.
import { apiUrl, MissingSettingError } from "./config";

export interface Relayed {
  status: number;
  body: unknown;
}

/** GET `path` on the Flask API (with `authorization` when given) and return its JSON answer. */
export async function relayToFlask(path: string, authorization?: string): Promise<Relayed> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (authorization) {
    headers.Authorization = authorization;
  }
  let base: string;
  try {
    base = apiUrl();
  } catch (error) {
    if (error instanceof MissingSettingError) {
      console.error(error.message);
      return { status: 500, body: { code: "misconfigured", description: error.message } };
    }
    throw error;
  }
  try {
    const response = await fetch(`${base}${path}`, {
      headers,
      cache: "no-store",
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: relay the text
    }
    return { status: response.status, body };
  } catch (error) {
    return {
      status: 502,
      body: { code: "api_unreachable", description: `Flask API at ${base}: ${String(error)}` },
    };
  }
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
