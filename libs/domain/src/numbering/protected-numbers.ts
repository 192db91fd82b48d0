/**
 * Numbers that can never be reported: emergency and reporting short codes. Operators add their own
 * (hotlines, service numbers) through options.
 */
export const DEFAULT_PROTECTED_SHORT_CODES: readonly string[] = [
  '111', // child protection hotline
  '112', // search and rescue
  '113', // police
  '114', // fire and rescue
  '115', // ambulance
  '156', // spam report short code
  '5656', // spam report short code
];
