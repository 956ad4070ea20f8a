#!/usr/bin/env node
// The installed command: runs the bundled CLI (`npm run build:cli` makes dist/cli.js).
try {
  require('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write(
      'access-key-enforcer is not built yet: run `npm run build:cli` (or use `npm run cli -- <command>`).\n',
    );
    process.exitCode = 2;
  } else {
    throw error;
  }
}
