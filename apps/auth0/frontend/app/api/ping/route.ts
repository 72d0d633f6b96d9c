import { json, relayToFlask } from "@/lib/flask";

export const dynamic = "force-dynamic";

/** Public: relays the Flask API's public /api/ping, no token involved. */
export async function GET(): Promise<Response> {
  const { status, body } = await relayToFlask("/api/ping");
  return json({ route: "/api/ping", upstream: "/api/ping", status, body }, status);
}
