import { isWhiteSpaceCode } from './white-space';

describe('isWhiteSpaceCode', () => {
  it('agrees with /\\s/ for every UTF-16 code unit', () => {
    const disagreements: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isWhiteSpaceCode(code) !== /^\s$/.test(String.fromCharCode(code))) disagreements.push(code);
    }
    expect(disagreements).toEqual([]);
  });
});
