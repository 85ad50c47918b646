// Published Duo signing vectors shared by the tests (wire reference §2.7 and duo_client_python tests).

/** duo_client_python `tests/test_client.py` TestSign / TestCanonicalize parameters (4 Unicode pairs). */
export const PYTHON_UNICODE_PARAMS: Array<[string, string]> = [
  [
    '\u469a\u287b\u35d0\u8ef3\u6727\u502a\u0810\ud091\xc8\uc170',
    '\u0f45\u1a76\u341a\u654c\uc23f\u9b09\uabe2\u8343\u1b27\u60d0',
  ],
  [
    '\u7449\u7e4b\uccfb\u59ff\ufe5f\u83b7\uadcc\u900c\ucfd1\u7813',
    '\u8db7\u5022\u92d3\u42ef\u207d\u8730\uacfe\u5617\u0946\u4e30',
  ],
  [
    '\u7470\u9314\u901c\u9eae\u40d8\u4201\u82d8\u8c70\u1d31\ua042',
    '\u17d9\u0ba8\u9358\uaadf\ua42a\u48be\ufb96\u6fe9\ub7ff\u32f3',
  ],
  [
    '\uc2c5\u2c1d\u2620\u3617\u96b3F\u8605\u20e8\uac21\u5934',
    '\ufba9\u41aa\ubd83\u840b\u2615\u3e6e\u652d\ua8b5\ud56bU',
  ],
];

/** The canonical parameter line duo_client_python expects for PYTHON_UNICODE_PARAMS. */
export const PYTHON_UNICODE_LINE =
  '%E4%9A%9A%E2%A1%BB%E3%97%90%E8%BB%B3%E6%9C%A7%E5%80%AA%E0%A0%90%ED%82%91%C3%88%EC%85%B0=%E0%BD%85%E1%A9%B6%E3%90%9A%E6%95%8C%EC%88%BF%E9%AC%89%EA%AF%A2%E8%8D%83%E1%AC%A7%E6%83%90' +
  '&%E7%91%89%E7%B9%8B%EC%B3%BB%E5%A7%BF%EF%B9%9F%E8%8E%B7%EA%B7%8C%E9%80%8C%EC%BF%91%E7%A0%93=%E8%B6%B7%E5%80%A2%E9%8B%93%E4%8B%AF%E2%81%BD%E8%9C%B0%EA%B3%BE%E5%98%97%E0%A5%86%E4%B8%B0' +
  '&%E7%91%B0%E9%8C%94%E9%80%9C%E9%BA%AE%E4%83%98%E4%88%81%E8%8B%98%E8%B1%B0%E1%B4%B1%EA%81%82=%E1%9F%99%E0%AE%A8%E9%8D%98%EA%AB%9F%EA%90%AA%E4%A2%BE%EF%AE%96%E6%BF%A9%EB%9F%BF%E3%8B%B3' +
  '&%EC%8B%85%E2%B0%9D%E2%98%A0%E3%98%97%E9%9A%B3F%E8%98%85%E2%83%A8%EA%B0%A1%E5%A4%B4=%EF%AE%A9%E4%86%AA%EB%B6%83%E8%90%8B%E2%98%95%E3%B9%AE%E6%94%AD%EA%A2%B5%ED%95%ABU';

/** The request attributes of the Python TestSign vectors. */
export const PYTHON_REQUEST = {
  date: 'Fri, 07 Dec 2012 17:18:00 -0000',
  host: 'foO.BAr52.cOm',
  method: 'PoSt',
  path: '/Foo/BaR2/qux',
  skey: 'gtdfxv9YgVBYcF6dl2Eq17KUQJN2PLM2ODVTkvoT',
};

/** Wire reference §2.7 document vectors: common attributes. */
export const DOC = {
  ikey: 'DIXXXXXXXXXXXXXXXXXX',
  skey: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
  date: 'Tue, 21 Aug 2012 17:29:18 -0000',
  /** The date above in ms since the epoch. */
  dateMs: Date.UTC(2012, 7, 21, 17, 29, 18),
  host: 'API-XXXXXXXX.duosecurity.com',
};

/** §2.7 v2 POST /auth/v2/auth parameters, in the order a client would send them. */
export const DOC_AUTH_PARAMS: Array<[string, string]> = [
  ['username', 'alice@example.com'],
  ['factor', 'push'],
  ['device', 'auto'],
  ['async', '1'],
  ['pushinfo', 'from=login portal&domain=example.com'],
];

/** §2.7 v5 POST /auth/v2/auth JSON body. */
export const DOC_V5_BODY = '{"factor":"push","username":"alice@example.com"}';

/**
 * duo_client_python `tests/test_client.py` JSON_STRING: `Client.canon_json(JSON_BODY)`, i.e.
 * `json.dumps(sort_keys=True, separators=(',', ':'))`, the body its v4 and v5 tests sign.
 */
export const PYTHON_JSON_STRING = '{"alpha":["a","b","c","d"],"data":"abc123","info":{"another":2,"test":1}}';
