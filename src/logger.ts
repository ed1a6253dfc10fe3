/** pino JSON logs; human-readable only when a person is watching (stdout is a TTY). */
import { pino, type Logger } from 'pino';

export type { Logger };

/** pino-pretty is a dev dependency: production images log JSON even on a TTY. */
function prettyAvailable(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function createLogger(opts: { level?: string; pretty?: boolean } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty = (opts.pretty ?? process.stdout.isTTY) && prettyAvailable();
  if (pretty) {
    return pino({ level, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino({ level });
}
