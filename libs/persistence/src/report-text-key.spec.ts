import { createHash } from 'node:crypto';
import { reportTextKey } from './report-text-key';

const md5AsUuid = (text: string) =>
  createHash('md5')
    .update(Buffer.from(text, 'utf8'))
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

describe('reportTextKey', () => {
  it('is null without a text', () => {
    expect(reportTextKey(null)).toBeNull();
  });

  it('is the md5 of the UTF-8 of the text as meant, written as a uuid', () => {
    expect(reportTextKey('  Lừa  ĐẢO\n')).toBe(md5AsUuid('lừa đảo'));
    // What PostgreSQL's md5('') says, as a uuid: the empty text has a key like any other.
    expect(reportTextKey('')).toBe('d41d8cd9-8f00-b204-e980-0998ecf8427e');
  });

  it('is the same for texts that differ only in case and runs of white space, and differs otherwise', () => {
    expect(reportTextKey('Goi vay NHANH\t lai suat')).toBe(reportTextKey('goi vay nhanh lai suat'));
    expect(reportTextKey('goi vay nhanh lai suat')).not.toBe(reportTextKey('goi vay nhanh lai suat thap'));
  });

  it('is the key of the text as stored: NUL and unpaired surrogates as U+FFFD', () => {
    expect(reportTextKey('a\u0000b\ud800')).toBe(reportTextKey('a\ufffdb\ufffd'));
    expect(reportTextKey('a\u0000b')).not.toBe(md5AsUuid('a\u0000b'));
  });
});
