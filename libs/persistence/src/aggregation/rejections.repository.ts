import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { timestampFromEpochMs } from '../array-literal';
import { binaryInt8Array, binaryTextArray } from '../binary-array';
import { storableText } from '../storable-text';

/** One message that did not become a report, as the aggregator stores it from reports.rejected. */
export interface RejectionRow {
  channel: 'sms' | 'hotline';
  sourceId: string;
  shortCode: string | null;
  reporter: string;
  reason: string;
  receivedAt: Date;
}

/** Rejections, one statement per batch; a redelivered rejection is stored once. */
@Injectable()
export class RejectionsRepository {
  /** Inserts the rejections not stored yet and says how many were new. */
  async insertNew(rows: readonly RejectionRow[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const text = (v: string | null) => (v === null ? null : storableText(v));
    const result: unknown[] = await manager.query(
      `INSERT INTO rejected_reports (channel, source_id, short_code, reporter, reason, received_at)
       SELECT ch, src, sc, rep, reason, ${timestampFromEpochMs('at')}
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           AS b(ch, src, sc, rep, reason, at)
       ON CONFLICT (channel, source_id) DO NOTHING
       RETURNING 1`,
      [
        binaryTextArray(rows.map((r) => r.channel)),
        binaryTextArray(rows.map((r) => text(r.sourceId))),
        binaryTextArray(rows.map((r) => text(r.shortCode))),
        binaryTextArray(rows.map((r) => text(r.reporter))),
        binaryTextArray(rows.map((r) => text(r.reason))),
        binaryInt8Array(rows.map((r) => r.receivedAt.getTime())),
      ],
    );
    return result.length;
  }
}
