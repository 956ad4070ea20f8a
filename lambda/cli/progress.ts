import { type AccountRef, type AccountScan } from '../domain/model';
import { type AccountReader } from '../ports';
import { type CliIo } from './cli-io';

/**
 * Wraps a reader so each account's progress shows on stderr: one redrawn line on a terminal,
 * plain lines otherwise (CI logs), never on stdout, so `scan --format json | jq` stays clean.
 */
export function withProgress(reader: AccountReader, io: CliIo, total: number): AccountReader {
  let done = 0;
  // The rules (issue 10) read the credential report and password policy after the accounts. The
  // CLI keeps reading user by user (no readUserKeys, so no fast path), as it always has.
  const readInventory = reader.readInventory?.bind(reader);
  const readPasswordPolicy = reader.readPasswordPolicy?.bind(reader);
  return {
    ...(readInventory && { readInventory }),
    ...(readPasswordPolicy && { readPasswordPolicy }),
    async readAccount(account: AccountRef): Promise<AccountScan> {
      const label = `${account.name} (${account.id})`;
      if (!io.stderrIsTty) io.stderr(`reading ${label}\n`);
      try {
        const scan = await reader.readAccount(account);
        report(`${label}: ${scan.users.length} users`);
        return scan;
      } catch (error) {
        report(`${label}: FAILED`);
        throw error;
      }
    },
  };

  function report(message: string): void {
    done += 1;
    if (io.stderrIsTty) {
      const width = 20;
      const filled = Math.round((done / total) * width);
      io.stderr(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${message}`
          .padEnd(79)
          .slice(0, 79),
      );
      if (done === total) io.stderr('\n');
    } else {
      io.stderr(`${message}\n`);
    }
  }
}
