/** A message as the bench publishes it. */
export interface BenchMessage {
  key: string;
  value: string;
}

/**
 * What the pipeline bench publishes, from wherever it starts (raw SMS or accepted reports). Each
 * source keeps count of the reports the aggregator must end up counting, so that the bench knows
 * exactly when the pipeline is done and can tell a lost or doubled report from a slow one.
 */
export interface BenchTraffic {
  /** The topic the messages go to. */
  readonly topic: string;
  /** Messages made so far, redeliveries and unusable ones included. */
  readonly messages: number;
  /** Distinct reports among them that the pipeline accepts: what the aggregator must count. */
  readonly acceptedReports: number;
  /** What the messages so far are made of, in words, for the report. */
  describe(): string;
  /** The next message of the background mix, received by the gateway (or accepted) at `at`. */
  next(at: number): BenchMessage;
  /**
   * A plain, valid report of `reportedNational` by `reporterNational` (national notation, 0 and
   * nine digits), received at `at`, with the reported number as the aggregator will see it (E.164).
   */
  report(
    reportedNational: string,
    reporterNational: string,
    at: number,
  ): BenchMessage & { reportedNumber: string };
}

/** 0912345678 -> +84912345678. */
export const e164 = (national: string): string => `+84${national.slice(1)}`;
