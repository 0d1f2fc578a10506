// Session logs: what the wallet sent and what the issuer made of it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  id: number;
  session_id: string | null;
  level: LogLevel;
  endpoint: string;
  message: string;
  data: Record<string, unknown>;
  created_at: number;
  /** Set on summary entries that repeated requests replace (deferred polls). */
  aggregate_key: string | null;
}

/** Narrows a log listing; afterId returns only entries newer than a given one (live updates). */
export interface LogFilter {
  level?: LogLevel;
  endpoint?: string;
  afterId?: number;
}

export type NewLogEntry = Omit<LogEntry, 'id' | 'aggregate_key'>;
