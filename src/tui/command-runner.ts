import type { ChatSession } from '../client/session.js';
import { HcpError } from '../protocol/index.js';

/** What every command of the terminal client needs of it. */
export interface CommandIo {
  session: ChatSession;
  /** Tells in the window shown. */
  notice(text: string): void;
  error(text: string): void;
}

/** A capability's commands (docs/protocol.md §10.2), as the reasons they cannot run say it. */
export interface CommandFeature {
  /** "room commands". */
  commands: string;
  /** Whether the server granted the capability on this connection. */
  granted: boolean;
  /** What the server lacks without it: "has no rooms". */
  lacks: string;
  /** When they need a name: what comes after joining ("rooms come after joining"). */
  afterJoining?: string;
}

/**
 * Runs a feature's command when it can run now (connected, the capability granted, named when it
 * needs a name), else says why not; a refusal of the server is told in the words `refusal` gives.
 */
export async function runFeatureCommand(io: CommandIo, feature: CommandFeature, run: () => Promise<void>, refusal: (err: HcpError) => string): Promise<void> {
  const blocked = whyBlocked(io.session, feature);
  if (blocked !== undefined) return io.error(blocked);
  try {
    await run();
  } catch (err) {
    io.error(err instanceof HcpError ? refusal(err) : String(err));
  }
}

function whyBlocked(session: ChatSession, feature: CommandFeature): string | undefined {
  if (!session.wire) return `Not connected: ${feature.commands} work once the client is connected again.`;
  if (!feature.granted) return session.wire === 'classic' ? `This server speaks classic HCP/1: it ${feature.lacks}.` : `This server ${feature.lacks}.`;
  if (feature.afterJoining !== undefined && !session.name) return `Pick a name first: ${feature.afterJoining}.`;
  return undefined;
}
