import { setFlagsFromString } from 'node:v8';

/**
 * Left to itself, V8 lets the old generation grow to several times what is live before a full
 * collection: on a replay the aggregator's live heap stays near 60 MB while its RSS climbed past
 * 360 MB (ingest's past 400 MB), most of it batches already committed. Each batch's objects live
 * across its database or broker round trips, so they outlast the young generation and all end up
 * there. A fixed growing factor
 * bounds that garbage by the live set instead (decision 0018). V8 reads the flag whenever it sizes
 * the heap after a collection, so setting it at start-up, before the first batch, takes effect.
 * 0 leaves V8's own growth, as without this.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
