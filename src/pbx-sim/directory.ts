/**
 * The simulated company: users, groups, memberships, terminals and the domain record.
 * Ids follow the vendor README's examples: admin 10001000, `userN` = 10001000 + N,
 * `groupN` = 10001110 + N, group member id = N_group × 10^8 + user id. All names are made up.
 */
import type { Rng } from './prng.ts';
import type { SimDomain, SimGroup, SimMember, SimTerminal, SimUser } from './types.ts';

const FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本', '井上', '木村', '林', '斎藤', '清水'];
const GIVEN = ['花子', '太郎', '陽菜', '翔太', '美咲', '大輝', '結衣', '健一', '七海', '拓也', '彩', '直樹', '愛', '誠', '由美', '蓮', 'さくら', '悠斗', '真由美', '浩二'];
/** The readings of FAMILY and GIVEN, as a Japanese company spells them in e-mail addresses (taro.yamada@…). */
const FAMILY_ROMAJI = ['sato', 'suzuki', 'takahashi', 'tanaka', 'ito', 'watanabe', 'yamamoto', 'nakamura', 'kobayashi', 'kato', 'yoshida', 'yamada', 'sasaki', 'yamaguchi', 'matsumoto', 'inoue', 'kimura', 'hayashi', 'saito', 'shimizu'];
const GIVEN_ROMAJI = ['hanako', 'taro', 'hina', 'shota', 'misaki', 'daiki', 'yui', 'kenichi', 'nanami', 'takuya', 'aya', 'naoki', 'ai', 'makoto', 'yumi', 'ren', 'sakura', 'yuto', 'mayumi', 'koji'];
const DEPARTMENTS = ['代表', '営業部', 'サポート', '経理部', '総務部', '人事部', '開発部', '品質保証', '物流センター', '広報'];
const USER_AGENTS = [
  'Yealink SIP-T54W 96.86.0.70',
  'Panasonic KX-HDV230N/16.61',
  'Cisco-CP8845/14.2.1',
  'Zoiper rv2.10.20.4',
  'Basix Softphone/3.2.1 (Android 14)',
  'Basix Softphone/3.2.0 (iOS 17.5)',
  'Grandstream GXP2170 1.0.11.79',
];

/**
 * The demo domain. `parkSlotStart`/`parkSlotEnd` (901–910) are ours, sent only by the default
 * profile as the range a console shows by default (docs/ARCHITECTURE.md "Conventions").
 */
export const DEMO_DOMAIN: SimDomain = { id: 1000, name: 'test1', label: 'テスト株式会社', parkSlotStart: 901, parkSlotEnd: 910 };

/** Id of the `admin` user. */
export const ADMIN_ID = 10001000;
/** Id of the `operator` user (a receptionist with the PBX admin role). */
export const OPERATOR_ID = 10000900;
/** Id of `userN`. */
export const userId = (n: number): number => 10001000 + n;
/** Id of `groupN`. */
export const groupId = (n: number): number => 10001110 + n;

/** The generated directory. */
export interface Directory {
  domain: SimDomain;
  users: SimUser[];
  groups: SimGroup[];
  members: SimMember[];
  terminals: SimTerminal[];
}

/** Options of {@link buildDirectory}. */
export interface DirectoryOptions {
  /** Number of `userN` users (default 40); `admin` and `operator` come on top. */
  users?: number;
  /** Number of groups (default 5). */
  groups?: number;
}

/**
 * Build the company deterministically from `rng`.
 * Avatars: about a third empty, a third relative file names (`u10001003.png`, served at
 * `/basix/avatars/users/`), a third absolute URLs on the simulator's own origin (`{ORIGIN}` placeholder).
 * @throws RangeError when `users` < 3 or `groups` < 1.
 */
export function buildDirectory(rng: Rng, opts: DirectoryOptions = {}): Directory {
  const nUsers = opts.users ?? 40;
  const nGroups = opts.groups ?? 5;
  if (nUsers < 3) throw new RangeError('at least 3 users');
  if (nGroups < 1) throw new RangeError('at least 1 group');
  const users: SimUser[] = [];
  const mk = (id: number, name: string, label: string, ext: string, role: number): SimUser => {
    const r = users.length % 3;
    const avatar = r === 0 ? '' : r === 1 ? `u${id}.png` : `{ORIGIN}/basix/avatars/users/u${id}.png`;
    const hasBox = rng.chance(0.8);
    const mwiNew = hasBox && rng.chance(0.3) ? rng.int(1, 4) : 0;
    return {
      id,
      name,
      label,
      mainExtension: ext,
      presence: 0,
      dnd: 0,
      fwdAlways: 0,
      role,
      language: 0,
      parkGroup: 0,
      flags: 0,
      email: `${name}@test1.example`,
      avatar,
      hasBox,
      mwiNew,
      mwiSaved: hasBox ? rng.int(0, 6) : 0,
      mwiUrgentNew: mwiNew > 0 && rng.chance(0.3) ? 1 : 0,
      mwiUrgentSaved: 0,
    };
  };
  users.push(mk(ADMIN_ID, 'admin', '管理者', '1000', 100));
  users.push(mk(OPERATOR_ID, 'operator', '受付 花子', '100', 100));
  for (let n = 1; n <= nUsers; n++) {
    const f = n === 1 ? 0 : (n * 7) % FAMILY.length;
    const g = n === 1 ? 0 : (n * 3 + Math.floor(n / FAMILY.length)) % GIVEN.length;
    const u = mk(userId(n), `user${n}`, `${FAMILY[f]} ${GIVEN[g]}`, String(1000 + n), 0);
    // e-mail in the company's romaji (given.family, numbered when two people share a name)
    u.email = `${GIVEN_ROMAJI[g]}.${FAMILY_ROMAJI[f]}${users.some((x) => x.email.startsWith(`${GIVEN_ROMAJI[g]}.${FAMILY_ROMAJI[f]}@`)) ? n : ''}@test1.example`;
    // a lively but mostly available company
    const p = rng.next();
    // park groups (slots 901 + G×3 …): reception (user1–4, operator, admin) 0 → 901–903; the rest 1–8
    u.parkGroup = n <= 4 ? 0 : 1 + ((n - 5) % 8);
    u.presence = p < 0.72 ? 0 : p < 0.84 ? 1 : p < 0.94 ? 2 : 3;
    if (rng.chance(0.06)) u.dnd = 1;
    if (rng.chance(0.05)) u.fwdAlways = 1;
    users.push(u);
  }
  // user1 is the scripted tests' user: available, not on DND
  users[2].presence = 0;
  users[2].dnd = 0;
  users[2].fwdAlways = 0;

  const groups: SimGroup[] = [];
  const members: SimMember[] = [];
  for (let g = 1; g <= nGroups; g++) {
    const dept = DEPARTMENTS[(g - 1) % DEPARTMENTS.length];
    const label = g <= DEPARTMENTS.length ? dept : `${dept}${Math.ceil(g / DEPARTMENTS.length)}`;
    groups.push({
      id: groupId(g),
      name: `group${g}`,
      label,
      type: g % 3 === 0 ? 1 : 0,
      mainExtension: String(1110 + g),
      language: 0,
      queue: 1,
      flags: 4,
      checkLoginStatus: 1,
      hasBox: g <= 2,
      mwiNew: g === 1 ? 1 : 0,
      mwiSaved: g <= 2 ? 2 : 0,
    });
    // members: group1 (reception) = operator + user1..user4; others a slice of the users
    const ids: number[] = [];
    if (g === 1) ids.push(OPERATOR_ID, ...[1, 2, 3, 4].filter((n) => n <= nUsers).map(userId));
    else {
      const size = Math.min(nUsers, rng.int(4, 7));
      const start = ((g - 1) * 6) % nUsers;
      for (let k = 0; k < size; k++) ids.push(userId(((start + k) % nUsers) + 1));
    }
    ids.forEach((uid, k) =>
      members.push({
        id: g * 100_000_000 + uid,
        groupId: groupId(g),
        userId: uid,
        priority: k,
        loginStatus: uid === userId(1) || uid === OPERATOR_ID || rng.chance(0.85) ? 1 : 0,
        role: 0,
      }),
    );
  }

  const terminals: SimTerminal[] = users.map((u, i) => ({
    id: 20000000 + i + 1,
    name: `${u.mainExtension}_${i % 4 === 3 ? 'soft' : 'desk'}`,
    assocUserId: u.id,
    type: i % 4 === 3 ? 'softphone' : 'sip_phone',
    userAgent: USER_AGENTS[i % USER_AGENTS.length],
    registered: u.presence !== 3,
  }));
  return { domain: { ...DEMO_DOMAIN }, users, groups, members, terminals };
}

/** Made-up callers: number, display name and CRM `end_user` string (one match, several, or none). */
export interface Caller {
  number: string;
  callingName: string;
  endUser: string;
}

const ORGS = ['株式会社さくら商事', '山田工業株式会社', 'ABC Trading', '有限会社みなと', '東西物産', 'Example Holdings'];
const PREFS = ['東京都', '大阪府', '神奈川県', '愛知県', '福岡県', '北海道'];
const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');

/** One CRM item `ID*NAME*ORGANIZATION*AVATAR*PREFECTURE` (parts URL-encoded, `+` for space). */
export function crmItem(id: string, name: string, org: string, avatar: string, pref: string): string {
  return [id, name, org, avatar, pref].map(enc).join('*');
}

/**
 * A random Japanese landline number, 10 digits in all: the area code (with its leading 0) and the
 * subscriber number together make 10 digits — Tokyo `03`/Osaka `06` + 8 digits, `045` (Yokohama),
 * `052` (Nagoya), `092` (Fukuoka) + 7 digits, `0466` (Fujisawa) + 6 digits.
 */
export function landline(rng: Rng): string {
  const area = rng.pick(['03', '06', '045', '052', '092', '0466']);
  const rest = 10 - area.length;
  // the subscriber part never starts with 0 (that would be a trunk prefix)
  return `${area}${rng.int(10 ** (rest - 1), 10 ** rest - 1)}`;
}

/** A random caller. About half match one CRM record, a sixth several (`_MANY_`), the rest none (`***`). */
export function randomCaller(rng: Rng): Caller {
  const mobile = rng.chance(0.4);
  const number = mobile ? `0${rng.pick(['70', '80', '90'])}${rng.int(10000000, 99999999)}` : landline(rng);
  const name = `${rng.pick(FAMILY)} ${rng.pick(GIVEN)}`;
  const r = rng.next();
  const avatarOf = (id: string): string => {
    const a = rng.next();
    return a < 0.4 ? '' : a < 0.7 ? `${id}.png` : `{ORIGIN}/basix/avatars/end_users/${id}.png`;
  };
  if (r < 0.5) {
    const id = `C${rng.int(1000, 9999)}`;
    return { number, callingName: name, endUser: crmItem(id, name, rng.pick(ORGS), avatarOf(id), rng.pick(PREFS)) };
  }
  if (r < 0.67) {
    const n = rng.int(2, 3);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `C${rng.int(1000, 9999)}`;
      items.push(crmItem(id, `${rng.pick(FAMILY)} ${rng.pick(GIVEN)}`, rng.pick(ORGS), avatarOf(id), rng.pick(PREFS)));
    }
    return { number, callingName: number, endUser: `_MANY_:${n}|${items.join('|')}` };
  }
  return { number, callingName: number, endUser: '***' };
}
