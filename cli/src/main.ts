#!/usr/bin/env node
import { loadConfig } from '@stratus/shared';
import { VERSION } from './version.js';
import { adminCommand, ADMIN_VERBS } from './admin-client.js';

const USAGE = `stratus ${VERSION}: a local AWS emulator

Usage:
  stratus start                 run every service in this process (embedded mode)
  stratus gateway               distributed mode: the HTTP front door (needs STRATUS_NATS_URL, STRATUS_REDIS_URL)
  stratus service <name>        distributed mode: one replica of one service (sqs, sts)
  stratus ready <name>          exit 0 when a service replica in this container is serving (healthchecks)
  stratus health                ask a running Stratus how it is
  stratus state                 print a running Stratus's state as JSON
  stratus reset [service] [--account ID]
  stratus clock [advance <seconds> | freeze | unfreeze | reset]

Configuration comes from STRATUS_* environment variables (see the README).`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { startEmbedded } = await import('./embedded.js');
      const running = await startEmbedded();
      stopOnSignal(() => running.close());
      return;
    }
    case 'gateway': {
      const { startGateway } = await import('./distributed.js');
      const running = await startGateway();
      stopOnSignal(() => running.close());
      return;
    }
    case 'service': {
      const name = rest[0];
      if (!name) throw new Error('stratus service needs a service name, e.g. stratus service sqs');
      const { startService } = await import('./distributed.js');
      const running = await startService(name);
      stopOnSignal(() => running.close());
      return;
    }
    case 'ready': {
      const { isReady } = await import('./ready-file.js');
      process.exitCode = isReady(rest[0] ?? '') ? 0 : 1;
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    case '--version':
      console.log(VERSION);
      return;
    default:
      if (ADMIN_VERBS.includes(command)) {
        const config = loadConfig();
        console.log(JSON.stringify(await adminCommand(`http://${config.host}:${config.port}`, command, rest), null, 2));
        return;
      }
      throw new Error(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

function stopOnSignal(close: () => Promise<void>): void {
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
