import type { WebSocket } from 'ws';
import { serializeMessage } from '../../protocol';

/** One WebSocket connection of a validator to the simulated miner. */
export interface ValidatorSession {
  ws: WebSocket;
  /** The validator hotkey of the connection URL. */
  validator: string;
  authenticated: boolean;
  /** Frames received before authentication, handled right after it. */
  pending: string[];
  /** Frames are handled strictly one at a time, like the miner's consumer. */
  chain: Promise<void>;
}

export function sendToSession(session: ValidatorSession, message: { message_type: string }): void {
  if (session.ws.readyState !== session.ws.OPEN) return;
  session.ws.send(serializeMessage(message), () => undefined);
}
