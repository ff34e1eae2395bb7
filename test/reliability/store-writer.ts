/**
 * A child process for `power-cut-durability.test.ts`: ends sessions the way the kiosk does (journal
 * steps, some of them committed without waiting for the disk as the kiosk's `started` and `claimed` are,
 * then the completion and its journal step in one unit), as fast as it can, on a real SQLite file,
 * and reports each completion on stdout only once the call that wrote it has returned. It is killed with
 * SIGKILL somewhere in the middle of a write.
 */
import { writeSync } from 'node:fs';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { CentralApi } from '../../kiosk/central-api/client.ts';
import { Journal } from '../../kiosk/journal/journal.ts';
import { Outbox } from '../../kiosk/outbox/outbox.ts';
import { openDb } from '../../kiosk/store/db.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-writer.ts DATA_DIR');
const db = openDb(dataDir);
const journal = new Journal(db, systemClock);
// Never started: the messages stay queued, as they would with the network down.
const outbox = new Outbox(db, {} as CentralApi, systemClock);
writeSync(1, `READY ${db.pragma('synchronous', { simple: true })}\n`);
for (let n = 0; ; n++) {
  const sessionId = journal.start('code').sessionId;
  journal.append(sessionId, { step: 'claimed', claimId: `C-${n}`, leaseExpiresAt: 'x' });
  journal.append(sessionId, { step: 'card-before', documentId: `D-${n}`, total: n, spoiled: 0 });
  journal.append(sessionId, { step: 'card-after', documentId: `D-${n}`, outcome: 'printed', total: n + 1 });
  const outboxId = journal.transaction(() => {
    const id = outbox.enqueue({
      kind: 'complete',
      claimId: `C-${n}`,
      applicationNo: `APP-${n}`,
      body: { printedAt: new Date().toISOString(), cardsPrinted: 1 },
    });
    journal.append(sessionId, { step: 'completion-queued', outboxId: id, cardsPrinted: 1, pagesPrinted: 0 });
    return id;
  });
  writeSync(1, `COMMITTED ${sessionId} ${outboxId}\n`);
  journal.append(sessionId, { step: 'closed', outcome: 'printed' });
  // `started` and `claimed` commit without waiting for the disk; the connection must be back at FULL.
  if (n === 0) writeSync(1, `SYNC_AFTER ${db.pragma('synchronous', { simple: true })}\n`);
}
