/**
 * Vietnamese mobile carriers and the prefixes originally allocated to them.
 *
 * Data, not logic: update this table when the Ministry allocates new prefixes. A prefix tells the
 * carrier of ORIGINAL allocation only; since mobile number portability (2018-2019) a subscriber
 * may have moved to another carrier.
 */

export const CARRIERS = [
  'viettel',
  'vinaphone',
  'mobifone',
  'vietnamobile',
  'gmobile',
  'itelecom',
  'reddi',
] as const;
export type Carrier = (typeof CARRIERS)[number];

export interface MobilePrefixAllocation {
  /** National prefix with the trunk 0, as people write it: '086'. */
  readonly prefix: string;
  readonly carrier: Carrier;
  /** False when the allocation comes from a source we could not confirm. */
  readonly confirmed: boolean;
}

export const MOBILE_PREFIX_ALLOCATIONS: readonly MobilePrefixAllocation[] = [
  // Viettel
  { prefix: '086', carrier: 'viettel', confirmed: true },
  { prefix: '096', carrier: 'viettel', confirmed: true },
  { prefix: '097', carrier: 'viettel', confirmed: true },
  { prefix: '098', carrier: 'viettel', confirmed: true },
  { prefix: '032', carrier: 'viettel', confirmed: true },
  { prefix: '033', carrier: 'viettel', confirmed: true },
  { prefix: '034', carrier: 'viettel', confirmed: true },
  { prefix: '035', carrier: 'viettel', confirmed: true },
  { prefix: '036', carrier: 'viettel', confirmed: true },
  { prefix: '037', carrier: 'viettel', confirmed: true },
  { prefix: '038', carrier: 'viettel', confirmed: true },
  { prefix: '039', carrier: 'viettel', confirmed: true },
  // VinaPhone
  { prefix: '081', carrier: 'vinaphone', confirmed: true },
  { prefix: '082', carrier: 'vinaphone', confirmed: true },
  { prefix: '083', carrier: 'vinaphone', confirmed: true },
  { prefix: '084', carrier: 'vinaphone', confirmed: true },
  { prefix: '085', carrier: 'vinaphone', confirmed: true },
  { prefix: '088', carrier: 'vinaphone', confirmed: true },
  { prefix: '091', carrier: 'vinaphone', confirmed: true },
  { prefix: '094', carrier: 'vinaphone', confirmed: true },
  // MobiFone
  { prefix: '070', carrier: 'mobifone', confirmed: true },
  { prefix: '076', carrier: 'mobifone', confirmed: true },
  { prefix: '077', carrier: 'mobifone', confirmed: true },
  { prefix: '078', carrier: 'mobifone', confirmed: true },
  { prefix: '079', carrier: 'mobifone', confirmed: true },
  { prefix: '089', carrier: 'mobifone', confirmed: true },
  { prefix: '090', carrier: 'mobifone', confirmed: true },
  { prefix: '093', carrier: 'mobifone', confirmed: true },
  // Vietnamobile
  { prefix: '056', carrier: 'vietnamobile', confirmed: true },
  { prefix: '058', carrier: 'vietnamobile', confirmed: true },
  { prefix: '092', carrier: 'vietnamobile', confirmed: true },
  // Unconfirmed: reported as Vietnamobile's; libphonenumber only knows 052[238]xxxxxx as valid.
  { prefix: '052', carrier: 'vietnamobile', confirmed: false },
  // Gmobile
  { prefix: '059', carrier: 'gmobile', confirmed: true },
  { prefix: '099', carrier: 'gmobile', confirmed: true },
  // Itelecom (an MVNO on VinaPhone's network)
  { prefix: '087', carrier: 'itelecom', confirmed: true },
  // Reddi: details unconfirmed; libphonenumber only knows 0559xxxxxx as valid.
  { prefix: '055', carrier: 'reddi', confirmed: false },
];
