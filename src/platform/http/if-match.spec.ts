import type { FastifyReply } from 'fastify';
import { etagOf, parseIfMatch, sendEtag } from './if-match.js';

describe('If-Match / ETag', () => {
  it('the ETag of a version is the strong tag "<version>"', () => {
    expect(etagOf(1)).toBe('"1"');
    expect(etagOf(42)).toBe('"42"');
  });

  it('sendEtag sets the etag header', () => {
    const headers: Record<string, string> = {};
    const reply = {
      header(name: string, value: string) {
        headers[name] = value;
        return reply;
      },
    } as unknown as FastifyReply;
    sendEtag(reply, 7);
    expect(headers).toEqual({ etag: '"7"' });
  });

  describe('parseIfMatch', () => {
    it('no header or * is no precondition (undefined)', () => {
      expect(parseIfMatch(undefined)).toBeUndefined();
      expect(parseIfMatch('*')).toBeUndefined();
      expect(parseIfMatch(' * ')).toBeUndefined();
    });

    it('reads a strong tag and a list of them, with or without spaces', () => {
      expect(parseIfMatch('"3"')).toEqual([3]);
      expect(parseIfMatch('"3", "5"')).toEqual([3, 5]);
      expect(parseIfMatch('"3","5"')).toEqual([3, 5]);
      expect(parseIfMatch(['"3"', '"4"'])).toEqual([3, 4]);
    });

    it('round-trips every ETag it sends', () => {
      for (const version of [1, 2, 10, 999_999]) expect(parseIfMatch(etagOf(version))).toEqual([version]);
    });

    it('weak and malformed tags can never match: an empty list (412), not "no precondition"', () => {
      for (const header of ['W/"1"', '1', '"abc"', '""', '"1', "'1'", '', ' ', '"-1"', '"1.5"', '"1234567890123456"']) {
        expect(parseIfMatch(header), header).toEqual([]);
      }
    });

    it('keeps the strong tags of a list that mixes in weak or malformed ones', () => {
      expect(parseIfMatch('W/"1", "2", junk')).toEqual([2]);
    });

    it('* inside a list is not the wildcard', () => {
      expect(parseIfMatch('"1", *')).toEqual([1]);
    });
  });
});
