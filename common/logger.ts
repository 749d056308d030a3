// The one log stream of duban's processes: JSON lines (pino) on stdout, one
// object per event, for whatever collects container output. The level comes
// from LOG_LEVEL (common/config.ts validates it; the test run sets "warn").
import type { Logger as TemporalLogger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof LogLevel>;

/** LOG_LEVEL when valid, "info" otherwise (loadConfig reports an invalid value before anything runs). */
export function envLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = LogLevel.safeParse(env.LOG_LEVEL);
  return parsed.success ? parsed.data : 'info';
}

export function createLogger(opts: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? envLogLevel(),
      // Temporal's loggers pass errors as `error`, ours as `err`: both with message and stack.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    opts.destination,
  );
}

/** The process's logger. */
export const logger = createLogger();

export type { Logger };

const TEMPORAL_TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's Logger on top of a pino logger: the Runtime's logger (core's
 * forwarded lines, workflow and activity `log` calls) goes to the same stream.
 */
export function temporalLogger(base: Logger): TemporalLogger {
  const log = (level: TemporalLogLevel, message: string, meta?: LogMetadata) => base[TEMPORAL_TO_PINO[level]]({ ...meta }, message);
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/** The level for the SDK core's own lines (it knows no "fatal" or "silent"). */
export function temporalLogLevel(level: LogLevel): TemporalLogLevel {
  return level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : level === 'info' ? 'INFO' : level === 'warn' ? 'WARN' : 'ERROR';
}
