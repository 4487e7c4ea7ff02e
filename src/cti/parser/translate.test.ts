import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHangupDisposition, parseMwi } from './helpers.ts';
import { decodeUrlPart, parseEndUser, parseOrigination, parseOtherInfo, parseState, parseTags, parseTarget, resolveAvatar } from './translate.ts';

describe('resolveAvatar (PROTOCOL.md "user and group")', () => {
  it('joins the base with exactly one slash, with or without a trailing slash', () => {
    for (const base of ['https://pbx.example.jp', 'https://pbx.example.jp/']) {
      expect(resolveAvatar('yamada.png', base)).toBe('https://pbx.example.jp/basix/avatars/users/yamada.png');
      expect(resolveAvatar('yamada.png', base, 'end_user')).toBe('https://pbx.example.jp/basix/avatars/end_users/yamada.png');
      expect(resolveAvatar(undefined, base)).toBe('https://pbx.example.jp/static/icons/user.png');
      expect(resolveAvatar('', base)).toBe('https://pbx.example.jp/static/icons/user.png');
      expect(resolveAvatar('', base, 'end_user')).toBe('https://pbx.example.jp/static/icons/end_user.png');
    }
    expect(resolveAvatar('a.png', 'https://pbx.example.jp/sub/')).toBe('https://pbx.example.jp/sub/basix/avatars/users/a.png');
  });
  it('keeps absolute http(s) URLs and, without a base, everything', () => {
    expect(resolveAvatar('http://cdn.example.jp/a.png', 'https://x.jp')).toBe('http://cdn.example.jp/a.png');
    expect(resolveAvatar('https://cdn.example.jp/a.png', 'https://x.jp')).toBe('https://cdn.example.jp/a.png');
    expect(resolveAvatar('a.png', undefined)).toBe('a.png');
    expect(resolveAvatar(undefined, undefined)).toBeUndefined();
    expect(resolveAvatar('', '')).toBe('');
  });
});

describe('parseEndUser (PROTOCOL.md "end_user")', () => {
  const yamada = 'C-1001*%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E*%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE*yamada.png*%E6%9D%B1%E4%BA%AC%E9%83%BD';
  it('decodes one item, + as space', () => {
    expect(parseEndUser(yamada)).toStrictEqual({
      count: 1,
      items: [{ id: 'C-1001', name: '山田 太郎', organization: '株式会社', avatar: 'yamada.png', prefecture: '東京都' }],
    });
  });
  it('_MANY_ gives N and every item; avatars resolved with a base', () => {
    const r = parseEndUser(`_MANY_:5|${yamada}|C-2*a*b**`, 'https://x.jp');
    expect(r).toStrictEqual({
      count: 5,
      items: [
        { id: 'C-1001', name: '山田 太郎', organization: '株式会社', avatar: 'https://x.jp/basix/avatars/end_users/yamada.png', prefecture: '東京都' },
        { id: 'C-2', name: 'a', organization: 'b', avatar: 'https://x.jp/static/icons/end_user.png', prefecture: '' },
      ],
    });
    expect(parseEndUser('_MANY_:x|C-3')).toStrictEqual({ count: 1, items: [{ id: 'C-3', name: '', organization: '', avatar: '', prefecture: '' }] });
  });
  it('all-* and empty mean no CRM data (null); undefined stays undefined', () => {
    expect(parseEndUser('*')).toBeNull();
    expect(parseEndUser('****')).toBeNull();
    expect(parseEndUser('')).toBeNull();
    expect(parseEndUser(undefined)).toBeUndefined();
  });
  it('repeated strings (cached) give equal but never shared objects, for the right base', () => {
    const a = parseEndUser(`_MANY_:2|${yamada}|C-2*a*b*x.png*`)!;
    const b = parseEndUser(`_MANY_:2|${yamada}|C-2*a*b*x.png*`)!;
    expect(b).toStrictEqual(a);
    expect(b).not.toBe(a);
    expect(b.items).not.toBe(a.items);
    expect(b.items[0]).not.toBe(a.items[0]);
    a.items[0].name = 'changed';
    a.items.pop();
    expect(parseEndUser(`_MANY_:2|${yamada}|C-2*a*b*x.png*`)).toStrictEqual(b);
    // the same string with another base, then none again
    expect(parseEndUser(yamada, 'https://x.jp')!.items[0].avatar).toBe('https://x.jp/basix/avatars/end_users/yamada.png');
    expect(parseEndUser(yamada, 'https://y.jp/')!.items[0].avatar).toBe('https://y.jp/basix/avatars/end_users/yamada.png');
    expect(parseEndUser(yamada)!.items[0].avatar).toBe('yamada.png');
    // past the cache's size, still right
    for (let i = 0; i < 600; i++) expect(parseEndUser(`C-${i % 300}*n%20${i % 300}`)!.items[0]).toMatchObject({ id: `C-${i % 300}`, name: `n ${i % 300}` });
  });
  it('never throws on malformed escapes', () => {
    expect(decodeUrlPart('a%ZZb%20c')).toBe('a%ZZb c');
    expect(decodeUrlPart('%E3%81')).toBe('%E3%81');
    expect(decodeUrlPart('%E3%81%82%')).toBe('あ%');
    expect(decodeUrlPart('100%')).toBe('100%');
  });
});

describe('origination, tags, target, other_info, state', () => {
  it('origination: *-split, decoded, positions kept', () => {
    expect(parseOrigination('api*click2call*0312345678*%E5%B1%B1%E7%94%B0')).toStrictEqual(['api', 'click2call', '0312345678', '山田']);
    expect(parseOrigination('a**b')).toStrictEqual(['a', '', 'b']);
    expect(parseOrigination('*')).toStrictEqual(['', '']);
  });

  it('origination keeps a literal + (only percent-decoded, as the vendor library); end_user turns + into a space', () => {
    expect(parseOrigination('call_user*+81312345678*%2B81*a+b*%E5%B1%B1+x')).toStrictEqual(['call_user', '+81312345678', '+81', 'a+b', '山+x']);
    expect(parseOrigination('bad%ZZ+*%E3%81')).toStrictEqual(['bad%ZZ+', '%E3%81']);
    expect((parseEndUser('1*Taro+Yamada*Org*a.png*Tokyo') as { items: Array<{ name: string }> }).items[0].name).toBe('Taro Yamada');
    expect(parseOrigination('')).toStrictEqual([]);
    expect(parseOrigination(undefined)).toBeUndefined();
    const o = parseOrigination('api*x') as string[];
    o.push('mutated');
    expect(parseOrigination('api*x')).toStrictEqual(['api', 'x']);
  });
  it('tags: ;-split, empty parts dropped', () => {
    expect(parseTags('monitoring_required')).toStrictEqual(['monitoring_required']);
    expect(parseTags('a;b;')).toStrictEqual(['a', 'b']);
    expect(parseTags(';')).toStrictEqual([]);
    expect(parseTags(';a')).toStrictEqual(['a']);
    expect(parseTags('')).toStrictEqual([]);
    expect(parseTags([])).toStrictEqual([]);
    expect(parseTags(undefined)).toBeUndefined();
  });
  it('target tuple → object', () => {
    expect(parseTarget(['group', 10001111, 'group1', '0312345678'])).toStrictEqual({ type: 'group', id: 10001111, name: 'group1', address: '0312345678' });
    expect(parseTarget(undefined)).toBeUndefined();
  });
  it('other_info: user vs end_user', () => {
    expect(parseOtherInfo(['user', 10001001, 'outbound', 'internal', 't1001', 1700000000000000, 10001111, undefined])).toStrictEqual({
      type: 'user', direction: 'outbound', peer_location: 'internal', address: 't1001', offer_timestamp: 1700000000000000, whoscall: undefined, user_id: 10001001, group_id: 10001111,
    });
    expect(parseOtherInfo(['end_user', undefined, 'inbound', 'external', '0312345678', undefined, undefined, 'w'])).toStrictEqual({
      type: 'end_user', direction: 'inbound', peer_location: 'external', address: '0312345678', offer_timestamp: undefined, whoscall: 'w', end_user: null,
    });
  });
  it('state: short tuples do not throw, unknown names keep ts/name with empty data', () => {
    expect(parseState([1, 'calling', 'int', 'group', undefined])).toStrictEqual({
      ts: 1, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: undefined, group_id: undefined },
    });
    expect(parseState([1n << 60n, 'brand_new_state', 1, 2])).toStrictEqual({ ts: 1n << 60n, name: 'brand_new_state', data: {} });
    expect(parseState([5, 'ivr'])).toStrictEqual({ ts: 5, name: 'ivr', data: { ivr_id: undefined } });
    expect(parseState(undefined)).toBeUndefined();
  });
  it('state: a longer tuple — fixed positions ignore the extra values, the four {Ts, .., X} states take the last (docs/cti-parser.md)', () => {
    expect(parseState([1, 'park', 901, 'x', 5, 'P', 'extra'])).toStrictEqual({ ts: 1, name: 'park', data: { slot: 901, parker_id: 5, parker_name: 'P' } });
    expect(parseState([1, 'eavesdrop', 'u', 's', 'extra'])).toStrictEqual({ ts: 1, name: 'eavesdrop', data: { uuid: 'u', eavesdrop_state: 's' } });
    expect(parseState([1, 'checking_voicemail', 'N', 'extra'])).toStrictEqual({ ts: 1, name: 'checking_voicemail', data: { target_name: 'N' } });
    expect(parseState([1, 'ivr', 'a', 'last'])).toStrictEqual({ ts: 1, name: 'ivr', data: { ivr_id: 'last' } });
    expect(parseState([1, 'calling_siptermination', 'a', 'b', 'sip:x'])).toStrictEqual({ ts: 1, name: 'calling_siptermination', data: { url: 'sip:x' } });
    expect(parseState([1, 'system_operation', 'a', 'op'])).toStrictEqual({ ts: 1, name: 'system_operation', data: { operation: 'op' } });
    expect(parseState([1, 'conference', 'a', 7])).toStrictEqual({ ts: 1, name: 'conference', data: { room_id: 7 } });
  });
});

describe('parseMwi', () => {
  it('reads NEW/SAVED (URGENT_NEW/URGENT_SAVED)', () => {
    expect(parseMwi('2/5 (1/0)')).toStrictEqual({ new: 2, saved: 5, urgentNew: 1, urgentSaved: 0, valid: true });
    expect(parseMwi('12/30 (2/1)')).toStrictEqual({ new: 12, saved: 30, urgentNew: 2, urgentSaved: 1, valid: true });
    expect(parseMwi('2/5')).toStrictEqual({ new: 2, saved: 5, urgentNew: 0, urgentSaved: 0, valid: true });
  });
  it('is tolerant', () => {
    const zero = { new: 0, saved: 0, urgentNew: 0, urgentSaved: 0, valid: true };
    expect(parseMwi('')).toStrictEqual(zero);
    expect(parseMwi(undefined)).toStrictEqual(zero);
    expect(parseMwi(null)).toStrictEqual(zero);
    expect(parseMwi('garbage')).toStrictEqual({ ...zero, valid: false });
    expect(parseMwi('2:5')).toStrictEqual({ new: 2, saved: 5, urgentNew: 0, urgentSaved: 0, valid: true });
    expect(parseMwi('  3 / 4  ( 1 / 2 ) ')).toStrictEqual({ new: 3, saved: 4, urgentNew: 1, urgentSaved: 2, valid: true });
  });
  it('calls only the documented string shapes valid: a number, object or other non-string is zeros, valid false', () => {
    const bad = { new: 0, saved: 0, urgentNew: 0, urgentSaved: 0, valid: false };
    expect(parseMwi(7)).toStrictEqual(bad);
    expect(parseMwi(7n)).toStrictEqual(bad);
    expect(parseMwi(-1)).toStrictEqual(bad);
    expect(parseMwi({})).toStrictEqual(bad);
    expect(parseMwi({ new: 1, saved: '2' })).toStrictEqual(bad);
    expect(parseMwi(['2/5'])).toStrictEqual(bad);
    expect(parseMwi(true)).toStrictEqual(bad);
  });
  it('never gives a negative count: a negative or garbage part is 0 and the value is not valid', () => {
    // the bug: '-1/5' read as new = 1 (the sign was dropped)
    expect(parseMwi('-1/5')).toStrictEqual({ new: 0, saved: 5, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi('2/-3 (-1/x)')).toStrictEqual({ new: 2, saved: 0, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi('1.5/2')).toStrictEqual({ new: 0, saved: 2, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi('N/A')).toMatchObject({ new: 0, saved: 0, valid: false });
    expect(parseMwi('1/2 (3/4) 5')).toStrictEqual({ new: 1, saved: 2, urgentNew: 3, urgentSaved: 4, valid: false });
    expect(parseMwi('   ')).toMatchObject({ new: 0, valid: true });
    expect(parseMwi({ new: -4, saved: 2 })).toStrictEqual({ new: 0, saved: 0, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi(2.5)).toMatchObject({ new: 0, valid: false });
    expect(parseMwi([1, 2])).toMatchObject({ new: 0, valid: false });
  });

  it('reads other shapes but calls only N/M and N/M (U/V) valid; never a count beyond 2^53', () => {
    expect(parseMwi('1/2/3')).toStrictEqual({ new: 1, saved: 2, urgentNew: 3, urgentSaved: 0, valid: false });
    expect(parseMwi('2/5 (1/0')).toStrictEqual({ new: 2, saved: 5, urgentNew: 1, urgentSaved: 0, valid: false });
    expect(parseMwi('5')).toStrictEqual({ new: 5, saved: 0, urgentNew: 0, urgentSaved: 0, valid: false });
    // a missing number keeps its place (0): the others are not shifted into the wrong counter
    expect(parseMwi('/5')).toStrictEqual({ new: 0, saved: 5, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi(' : 5 (1/2)')).toStrictEqual({ new: 0, saved: 5, urgentNew: 1, urgentSaved: 2, valid: false });
    expect(parseMwi('2/5 (/1)')).toStrictEqual({ new: 2, saved: 5, urgentNew: 0, urgentSaved: 1, valid: false });
    expect(parseMwi('//3')).toStrictEqual({ new: 0, saved: 0, urgentNew: 3, urgentSaved: 0, valid: false });
    expect(parseMwi('2/5 1/0')).toMatchObject({ urgentNew: 1, valid: false });
    expect(parseMwi('99999999999999999999/1')).toStrictEqual({ new: 0, saved: 1, urgentNew: 0, urgentSaved: 0, valid: false });
    expect(parseMwi(1e20)).toMatchObject({ new: 0, valid: false });
    expect(parseMwi({ new: 2 ** 60 })).toMatchObject({ new: 0, valid: false });
    expect(parseMwi(String(Number.MAX_SAFE_INTEGER) + '/0')).toMatchObject({ new: Number.MAX_SAFE_INTEGER, valid: true });
    for (const v of ['-1/-5 (-2/-3)', '-0/-0', '--9/+4', '99999999999999999999/1']) {
      const c = parseMwi(v);
      for (const k of ['new', 'saved', 'urgentNew', 'urgentSaved'] as const) expect(c[k]).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('parseHangupDisposition (PROTOCOL.md last_event_data)', () => {
  it('caller cancelled while ringing', () => {
    expect(parseHangupDisposition('recv_cancel,ORIGINATOR_CANCEL')).toStrictEqual({
      side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', initiator: 'remote', answered: false, callerCancelled: true,
    });
  });
  it('other sides', () => {
    expect(parseHangupDisposition('recv_bye,NORMAL_CLEARING')).toMatchObject({ initiator: 'remote', answered: true, callerCancelled: false });
    expect(parseHangupDisposition('send_bye,NORMAL_CLEARING')).toMatchObject({ initiator: 'local', answered: true });
    expect(parseHangupDisposition('send_cancel,LOSE_RACE')).toMatchObject({ initiator: 'local', answered: false, callerCancelled: false });
    expect(parseHangupDisposition('recv_refuse,USER_BUSY')).toMatchObject({ side: 'recv_refuse', cause: 'USER_BUSY', answered: false });
    expect(parseHangupDisposition(' send_refuse , NO_ANSWER ')).toMatchObject({ side: 'send_refuse', cause: 'NO_ANSWER' });
    expect(parseHangupDisposition('weird')).toStrictEqual({ side: 'weird', cause: '', initiator: undefined, answered: undefined, callerCancelled: false });
  });
  it('nothing → null', () => {
    expect(parseHangupDisposition(undefined)).toBeNull();
    expect(parseHangupDisposition('')).toBeNull();
    expect(parseHangupDisposition(42)).toBeNull();
  });
});

describe('decodeUrlPart ≡ decodeURIComponent where that succeeds', () => {
  it('random escapes, literals and malformed runs', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }).map((t) => encodeURIComponent(t)),
      fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
      fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`),
      fc.constantFrom('%', '%Z', '%EF%BB%BF', '+', '%2B', '%25'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const s = parts.join('');
        const plus = s.replaceAll('+', ' ');
        let expected: string | undefined;
        try {
          expected = decodeURIComponent(plus);
        } catch {
          expected = undefined;
        }
        if (expected !== undefined) expect(decodeUrlPart(s)).toBe(expected);
        else expect(() => decodeUrlPart(s)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('a malformed escape is kept and every well-formed sequence around it decoded, even in the same run', () => {
    expect(decodeUrlPart('%E5%B1%B1%E3%81')).toBe('山%E3%81');
    expect(decodeUrlPart('%41%FF%42')).toBe('A%FFB');
    expect(decodeUrlPart('%E3%81%E3%81%82')).toBe('%E3%81あ');
    expect(decodeUrlPart('%C0%80%ED%A0%80%F4%90%80%80x')).toBe('%C0%80%ED%A0%80%F4%90%80%80x');
    expect(decodeUrlPart('%F0%9F%98%80%F8+%ZZ')).toBe('😀%F8 %ZZ');
    // valid pieces (as encodeURIComponent writes them) between malformed ones that cannot join them
    const bad = fc.constantFrom('%FF', '%C0%80', '%ED%A0%80', '%F8', '%E3%81x', '%ZZ', '%F4%90%80%80');
    const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }).map((t) => ({ raw: encodeURIComponent(t), want: t })), bad.map((b) => ({ raw: b, want: b })));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        expect(decodeUrlPart(parts.map((p) => p.raw).join(''))).toBe(parts.map((p) => p.want).join(''));
      }),
      { numRuns: 3000 },
    );
  });
});
