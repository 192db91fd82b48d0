/**
 * The 2018 conversion of 11-digit mobile numbers to 10 digits: the 4-digit prefix (with the trunk
 * 0) was replaced by a 3-digit one and the last 7 digits were kept. People still write old numbers.
 *
 *   0166 234 5678 -> 036 234 5678
 */

export interface LegacyPrefixConversion {
  /** Prefix of the old 11-digit number, with the trunk 0: '0162'. */
  readonly legacy: string;
  /** Prefix of the 10-digit number that replaced it: '032'. */
  readonly current: string;
}

export const LEGACY_PREFIX_CONVERSIONS: readonly LegacyPrefixConversion[] = [
  // Viettel
  { legacy: '0162', current: '032' },
  { legacy: '0163', current: '033' },
  { legacy: '0164', current: '034' },
  { legacy: '0165', current: '035' },
  { legacy: '0166', current: '036' },
  { legacy: '0167', current: '037' },
  { legacy: '0168', current: '038' },
  { legacy: '0169', current: '039' },
  // MobiFone
  { legacy: '0120', current: '070' },
  { legacy: '0121', current: '079' },
  { legacy: '0122', current: '077' },
  { legacy: '0126', current: '076' },
  { legacy: '0128', current: '078' },
  // VinaPhone
  { legacy: '0123', current: '083' },
  { legacy: '0124', current: '084' },
  { legacy: '0125', current: '085' },
  { legacy: '0127', current: '081' },
  { legacy: '0129', current: '082' },
  // Vietnamobile
  { legacy: '0186', current: '056' },
  { legacy: '0188', current: '058' },
  // Gmobile
  { legacy: '0199', current: '059' },
];
