import { openPtyPair } from '../../transport/pty-pair.ts';
import { openSerialTransport } from '../../transport/serial.ts';
import type { Transport } from '../../transport/transport.ts';
import { COUNTER_RETURNED, COUNTER_SINCE_CLEANING, COUNTER_SPOILED, COUNTER_TOTAL } from '../protocol.ts';
import type { ReadCommand } from './command-reader.ts';
import type { SimState } from './sim-types.ts';

const MODEL = 'Primacy';
const FIRMWARE = '1.6.2';

/**
 * The reply to a read command (`R...`), which only reads the printer's state: undefined for a command
 * that acts (the simulator handles those). A counter or a bezel the printer does not have is
 * `ERR BAD_COMMAND`, as a real one answers.
 */
export function readReply(
  name: string,
  args: readonly string[],
  s: SimState,
  printer: { serial: string; bezel: boolean },
): string | undefined {
  switch (name) {
    case 'Rfv':
      return FIRMWARE;
    case 'Rsn':
      return printer.serial;
    case 'Rtp':
      return MODEL;
    case 'Rst':
      return s.state;
    case 'Rr':
      return String(s.ribbonLeft);
    case 'Rco': {
      const counters: Record<string, number> = {
        [COUNTER_TOTAL]: s.total,
        [COUNTER_SPOILED]: s.spoiled,
        [COUNTER_SINCE_CLEANING]: s.sinceCleaning,
        [COUNTER_RETURNED]: s.returned,
      };
      const value = args[0] !== undefined ? counters[args[0]] : undefined;
      return value === undefined ? 'ERR BAD_COMMAND' : String(value);
    }
    case 'Rbz':
      if (!printer.bezel) return 'ERR BAD_COMMAND';
      return s.cardInBezel ? 'CARD' : 'EMPTY';
    default:
      return undefined;
  }
}

/** How a command shows in the simulator's `heard` list (the panel bytes left out). */
export function commandLabel(cmd: ReadCommand): string {
  if (cmd.kind === 'command') return [cmd.name, ...cmd.args].join(';');
  return cmd.kind === 'download' ? `Db;${cmd.panel}` : 'Db?';
}

/**
 * Serves a simulator on a pty: `linkPath` is the printer's end as a kiosk configured with the serial
 * driver opens it (`"path": linkPath`).
 */
export async function servePrinterOnPty(
  printer: { attach(transport: Transport): void },
  linkPath: string,
): Promise<{ path: string; close: () => Promise<void> } | { error: string }> {
  const pty = await openPtyPair(linkPath, `${linkPath}.printer`);
  if (!pty.ok) return { error: pty.error };
  const line = await openSerialTransport(pty.value.pathB);
  if (!line.ok) {
    await pty.value.close();
    return { error: line.error };
  }
  printer.attach(line.value);
  return {
    path: linkPath,
    close: async () => {
      await pty.value.close();
      await line.value.close();
    },
  };
}
