// The named mutants `npm run mutate` applies one at a time: a small deliberate bug in a check that matters, and
// the test files that must notice it. Each `search` must occur once in `file` (or everywhere with `all`), or,
// with `after`, is replaced at its first occurrence after that anchor (a route's path, say).

export interface Mutant {
  name: string;
  /** What the bug would let through, in a few words (printed for a survivor). */
  why: string;
  /** Path from the repository root. */
  file: string;
  edits: Array<{ search: string; replace: string; all?: boolean; after?: string }>;
  /** Test files to run, from the repository root. */
  tests: string[];
}

const DUO_SIGNATURE_TESTS = [
  'src/crypto/duo-signature/verify-request.test.ts',
  'src/crypto/duo-signature/verify-request.property.test.ts',
  'test/auth-api/signature-errors.test.ts',
];
const OTP_TESTS = [
  'src/crypto/otp/verify.test.ts',
  'src/crypto/otp/verify.property.test.ts',
  'src/crypto/otp/hotp.test.ts',
  'src/crypto/otp/totp.test.ts',
];
const PORTAL_ACCESS_TESTS = ['test/portal/access.test.ts'];
const UNIVERSAL_TESTS = ['test/universal/duo-universal-sdk.test.ts', 'test/universal/denied-login.test.ts'];

const one = (search: string, replace: string) => [{ search, replace }];
const inRoute = (path: string, search: string, replace: string) => [{ after: `'${path}'`, search, replace }];

export const MUTANTS: Mutant[] = [
  // --- src/crypto ---------------------------------------------------------------------------------------------
  {
    name: 'crypto: Duo signature compared on a 4-byte prefix',
    why: 'a forged signature matching the first bytes of the HMAC is accepted',
    file: 'src/crypto/duo-signature/verify-request.ts',
    edits: one(
      'timingSafeEqual(actual, expected)',
      'timingSafeEqual(actual.subarray(0, 4), expected.subarray(0, 4))',
    ),
    tests: DUO_SIGNATURE_TESTS,
  },
  {
    name: 'crypto: Duo date skew 1000 times wider',
    why: 'a signed request hours old is accepted',
    file: 'src/crypto/duo-signature/verify-request.ts',
    edits: one(
      'if (Math.abs(deps.nowMs - dateMs) > (deps.skewMs ?? DEFAULT_SKEW_MS)) {',
      'if (Math.abs(deps.nowMs - dateMs) > (deps.skewMs ?? DEFAULT_SKEW_MS) * 1000) {',
    ),
    tests: DUO_SIGNATURE_TESTS,
  },
  {
    name: 'crypto: unsigned query on a POST accepted',
    why: 'parameters no signature covers reach the handler',
    file: 'src/crypto/duo-signature/verify-request.ts',
    edits: one('if (hasUnsignedQuery(req)) {', 'if (hasUnsignedQuery(req) && false) {'),
    tests: [...DUO_SIGNATURE_TESTS, 'test/auth-api/signed-params.test.ts'],
  },
  {
    name: 'crypto: TOTP drift window of two steps',
    why: 'a code 61 s away is accepted (RFC 6238 §5.2 allows one step)',
    file: 'src/crypto/otp/verify.ts',
    edits: one(
      'for (let d = 1; d <= window; d++) offsets.push(-d, d);',
      'for (let d = 1; d <= window + 1; d++) offsets.push(-d, d);',
    ),
    tests: [...OTP_TESTS, 'test/core/totp.test.ts'],
  },
  {
    name: 'crypto: TOTP replay guard lets the last used step through',
    why: 'the same TOTP code is accepted twice',
    file: 'src/crypto/otp/verify.ts',
    edits: one(
      'if (input.lastUsedStep !== null && step <= input.lastUsedStep) continue;',
      'if (input.lastUsedStep !== null && step < input.lastUsedStep) continue;',
    ),
    tests: [...OTP_TESTS, 'test/core/totp.test.ts'],
  },
  {
    name: 'crypto: HOTP look-ahead one further',
    why: 'a code 11 presses ahead is accepted',
    file: 'src/crypto/otp/verify.ts',
    edits: one(
      'for (let i = 0n; i <= BigInt(lookAhead); i++) {',
      'for (let i = 0n; i <= BigInt(lookAhead) + 1n; i++) {',
    ),
    tests: [...OTP_TESTS, 'test/core/hotp.test.ts'],
  },
  {
    name: 'crypto: HOTP dynamic truncation keeps the sign bit',
    why: 'codes differ from RFC 4226 and every authenticator app',
    file: 'src/crypto/otp/hotp.ts',
    edits: one(
      'const binary = hmac.readUInt32BE(offset) & 0x7fffffff;',
      'const binary = hmac.readUInt32BE(offset) & 0xffffffff;',
    ),
    tests: OTP_TESTS,
  },
  {
    name: 'crypto: sealed secrets not bound to their context',
    why: 'a sealed seed or password moved to another row still opens',
    file: 'src/crypto/secret-box.ts',
    edits: [
      {
        search: "setAAD(Buffer.from(context, 'utf8'))",
        replace: "setAAD(Buffer.from('', 'utf8'))",
        all: true,
      },
    ],
    tests: ['src/crypto/secret-box.test.ts', 'test/directory/settings.test.ts'],
  },
  {
    name: 'crypto: bypass code hashes share one empty salt',
    why: 'equal codes hash equally, so a database dump shows which codes repeat',
    file: 'src/crypto/code-hash.ts',
    edits: one("const salt = random.bytes(16).toString('base64url');", "const salt = '';"),
    tests: ['src/crypto/code-hash.test.ts', 'test/core/bypass.test.ts'],
  },
  {
    name: 'crypto: bypass code compared on a 4-byte prefix',
    why: 'a wrong code whose hash shares the first bytes is accepted',
    file: 'src/crypto/code-hash.ts',
    edits: one(
      'return expected.length === actual.length && timingSafeEqual(expected, actual);',
      'return expected.length === actual.length && timingSafeEqual(expected.subarray(0, 4), actual.subarray(0, 4));',
    ),
    tests: ['src/crypto/code-hash.test.ts', 'test/core/bypass.test.ts'],
  },

  // --- src/core/transaction and the start limits ---------------------------------------------------------------
  {
    name: 'transaction: the state table lets deny become allow',
    why: 'a refused login can be turned into an allowed one',
    file: 'src/core/transaction/states.ts',
    edits: one('  deny: [],', "  deny: ['allow'],"),
    tests: ['src/core/transaction/states.test.ts', 'test/core/transaction.test.ts'],
  },
  {
    name: 'transaction: moves not checked against the state table',
    why: 'a finished transaction can be decided again',
    file: 'src/core/transaction/move-transaction.ts',
    edits: one('if (!canTransition(tx.state, move.to)) {', 'if (false) {'),
    // The steps refuse a finished login before they move it: only moveTransaction's own test reaches the check.
    tests: ['src/core/transaction/move-transaction.test.ts', 'test/core/transaction.test.ts'],
  },
  {
    name: 'transaction: a passcode after expiry still decides',
    why: 'a transaction past its 5 minutes can be allowed',
    file: 'src/core/transaction/decide-attempt.ts',
    edits: one('  if (now >= tx.expiresAt) return end(', '  if (false) return end('),
    tests: ['test/core/transaction.test.ts'],
  },
  {
    name: 'transaction: a locked-out user may still use a valid code',
    why: 'lockout stops nothing once the attacker guesses right',
    file: 'src/core/transaction/decide-attempt.ts',
    edits: one("  if (user.status === 'locked_out') return end(", '  if (false) return end('),
    tests: ['test/core/lockout.test.ts'],
  },
  {
    name: 'transaction: wrong passcodes not counted',
    why: 'unlimited guesses (800-63B §5.2.2)',
    file: 'src/core/transaction/decide-attempt.ts',
    edits: one('(await repos.users.recordFailure(user.id, now, policy.lockoutThreshold)).lockedOut', 'false'),
    tests: ['test/core/lockout.test.ts'],
  },
  {
    name: 'transaction: a second push while one is outstanding',
    why: 'push bombing: many prompts at once',
    file: 'src/core/transaction/push-limits.ts',
    edits: one(
      "if (activity.outstanding > 0) return 'push_outstanding';",
      "if (activity.outstanding > 1) return 'push_outstanding';",
    ),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: fraud pause in seconds instead of minutes',
    why: 'pushes resume right after the user reported fraud',
    file: 'src/core/transaction/push-limits.ts',
    edits: one(
      'activity.lastFraudAt > now - policy.fraudPauseMinutes * MINUTE',
      'activity.lastFraudAt > now - policy.fraudPauseMinutes * 1000',
    ),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: denial cooldown in seconds instead of minutes',
    why: 'an automatic push goes out again right after the user denied one',
    file: 'src/core/transaction/push-limits.ts',
    edits: one(
      'activity.lastDenialAt > now - policy.denialCooldownMinutes * MINUTE',
      'activity.lastDenialAt > now - policy.denialCooldownMinutes * 1000',
    ),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: denial cooldown also refuses an explicit push',
    why: 'a user who denied by mistake cannot ask for a push again',
    file: 'src/core/transaction/push-limits.ts',
    edits: one('    options.automatic &&\n', ''),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: push cap one higher',
    why: 'one push more than policy allows since the last success',
    file: 'src/core/transaction/push-limits.ts',
    edits: one(
      "return pushes >= policy.pushLimit ? 'push_limit' : null;",
      "return pushes > policy.pushLimit ? 'push_limit' : null;",
    ),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: push cap never reset by a success',
    why: 'a user who signs in often is refused pushes',
    file: 'src/core/transaction/push-limits.ts',
    edits: one('Math.max(activity.lastSuccessAt ?? 0, now -', 'Math.max(0, now -'),
    tests: ['test/push/push-limits.test.ts', 'test/push/push-limits-volume.test.ts'],
  },
  {
    name: 'transaction: a push goes out without the push limits',
    why: 'startFactor sends a push the fatigue limits would refuse',
    file: 'src/core/transaction/start-factor.ts',
    edits: one(
      'const refusal = await checkPushLimits(repos, user.id, policy, now, { automatic: sent.automatic, txid });',
      'const refusal = null;',
    ),
    tests: ['test/push/push-limits.test.ts'],
  },
  {
    name: 'transaction: start limits never refuse',
    why: 'logins can be started without any rate limit',
    file: 'src/core/limits/start-limits.ts',
    edits: one('    if (!decision.allowed) {', '    if (false) {'),
    tests: ['test/core/start-limits.test.ts', 'test/push/push-limits-volume.test.ts'],
  },
  {
    name: 'transaction: the per-user start limit is off',
    why: 'one user can be sent unlimited logins from many addresses',
    file: 'src/core/limits/start-limits.ts',
    edits: one('perMinute: deps.limits.perUserPerMinute }', 'perMinute: 0 }'),
    tests: ['test/core/start-limits.test.ts'],
  },
  {
    name: 'transaction: push answer signature not checked',
    why: 'anyone who knows a txid can approve it',
    file: 'src/methods/push/push-answer.ts',
    edits: one(
      '!verifyDeviceSignature(device.data.publicKey as PublicJwk, signed, answer.signature)',
      'false',
    ),
    tests: ['test/push/forged-answers.test.ts'],
  },
  {
    name: 'transaction: push answer signing time 1000 times wider',
    why: 'an answer signed long ago is accepted',
    file: 'src/methods/push/push-answer.ts',
    edits: one(
      'if (Math.abs(now - answer.signedAt) > ANSWER_SKEW_MS)',
      'if (Math.abs(now - answer.signedAt) > ANSWER_SKEW_MS * 1000)',
    ),
    tests: ['test/push/forged-answers.test.ts'],
  },
  {
    name: 'transaction: push answered by another device',
    why: "a second device of anyone's can answer my push",
    file: 'src/methods/push/push-answer.ts',
    edits: one(
      "if (!device || tx.deviceId !== answer.deviceId || device.kind !== 'push') {",
      "if (!device || device.kind !== 'push') {",
    ),
    tests: ['test/push/forged-answers.test.ts'],
  },
  {
    name: 'transaction: verified-push number not compared',
    why: 'number matching is bypassed by approving blindly',
    file: 'src/methods/push/push-answer.ts',
    edits: one('if (expected !== null && answer.code !== expected)', 'if (false)'),
    tests: ['test/push/forged-answers.test.ts'],
  },
  {
    name: 'transaction: push approved after it expired',
    why: 'a late approval still allows the login',
    file: 'src/core/transaction/decide-attempt.ts',
    edits: one(
      '  if (now >= tx.expiresAt) return end(',
      '  if (now >= tx.expiresAt + 10 * 60_000) return end(',
    ),
    tests: ['test/push/forged-answers.test.ts'],
  },
  {
    name: 'transaction: remembered browser not checked',
    why: 'any browser skips the second factor',
    file: 'src/core/transaction/allow-remembered.ts',
    edits: one('if (!(await isRemembered(deps, token, user, app, policy))) return null;', ''),
    tests: ['test/prompt/passcode-remember.test.ts'],
  },

  // --- src/methods -------------------------------------------------------------------------------------------
  {
    name: 'methods: TOTP accepted two steps away',
    why: 'a code 61 s old or early is accepted',
    file: 'src/methods/totp/totp-method.ts',
    edits: one('        window: 1,', '        window: 2,'),
    tests: ['test/core/totp.test.ts'],
  },
  {
    name: 'methods: TOTP step not claimed',
    why: 'the same TOTP code is accepted twice (800-63B §5.1.4.2)',
    file: 'src/methods/totp/totp-method.ts',
    edits: one('(await repos.authenticators.claimTotpStep(authenticator.id, Number(step), now))', 'true'),
    tests: ['test/core/totp.test.ts'],
  },
  {
    name: 'methods: HOTP counter not advanced',
    why: 'the same HOTP code is accepted again',
    file: 'src/methods/hotp/hotp-method.ts',
    edits: one(
      'if (await repos.authenticators.advanceHotpCounter(authenticator.id, authenticator.counter, next, now)) {',
      'if (true) {',
    ),
    tests: ['test/core/hotp.test.ts'],
  },
  {
    name: 'methods: bypass code not spent',
    why: 'a single-use code works forever',
    file: 'src/methods/bypass/bypass-method.ts',
    edits: one('(await repos.bypassCodes.consume(stored.id, now))', 'true'),
    tests: ['test/core/bypass.test.ts'],
  },
  {
    name: 'methods: WebAuthn counter regression not flagged',
    why: 'a cloned security key goes unnoticed',
    file: 'src/methods/webauthn/authentication.ts',
    edits: one(
      'if ((newCounter > 0 || credential.counter > 0) && newCounter <= credential.counter) {',
      'if (false) {',
    ),
    tests: ['test/webauthn/webauthn.test.ts'],
  },
  {
    name: 'methods: WebAuthn user verification never required',
    why: 'a policy that requires UV accepts presence only',
    file: 'src/methods/webauthn/authentication.ts',
    edits: one(
      "requireUserVerification: deps.userVerification === 'required',",
      'requireUserVerification: false,',
    ),
    tests: ['test/webauthn/webauthn.test.ts'],
  },
  {
    name: 'methods: WebAuthn challenge never expires',
    why: 'an old challenge can still be answered',
    file: 'src/methods/webauthn/deps.ts',
    edits: one(' || deps.clock.now() >= pending.expiresAt', ''),
    tests: ['test/webauthn/webauthn.test.ts'],
  },
  {
    name: 'methods: WebAuthn challenge purpose not checked',
    why: 'a registration challenge answers a sign-in, or the reverse',
    file: 'src/methods/webauthn/deps.ts',
    edits: one('pending.purpose !== purpose || ', ''),
    tests: ['test/webauthn/webauthn.test.ts'],
  },

  // --- the fronts' access checks ------------------------------------------------------------------------------
  {
    name: 'portal: device removal with view access',
    why: 'a session without a fresh step-up removes a device',
    file: 'src/fronts/portal/routes-devices.ts',
    edits: inRoute('/devices/:id/remove', 'changeAccess(context, request, true)', 'viewAccess(request)'),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: device rename with view access',
    why: 'a session without a fresh step-up renames a device',
    file: 'src/fronts/portal/routes-devices.ts',
    edits: inRoute('/devices/:id/rename', 'changeAccess(context, request)', 'viewAccess(request)'),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: sign-out-everywhere from an enrollment hand-off',
    why: "the prompt's enrollment-only session signs the user out everywhere",
    file: 'src/fronts/portal/routes-devices.ts',
    edits: inRoute(
      '/sign-out-everywhere',
      'changeAccess(context, request, true)',
      'changeAccess(context, request)',
    ),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: preferences without the CSRF check',
    why: 'another site changes the default method',
    file: 'src/fronts/portal/routes-devices.ts',
    edits: inRoute('/preferences', 'viewAccess(request)', "requireAccess(deps, request, { level: 'view' })"),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: change routes need only view access',
    why: 'every change route (TOTP confirm too) accepts a stale step-up',
    file: 'src/fronts/portal/access.ts',
    edits: one("{ level: 'change', full }", "{ level: 'view', full }"),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: the 15-minute step-up window ignored',
    why: 'a second factor from hours ago allows changes',
    file: 'src/fronts/portal/portal-session.ts',
    edits: one(
      ': recentlySteppedUp(signed.session, deps.clock.now(), STEP_UP_WINDOW_MS);',
      ': signed.session.mfaAt !== null;',
    ),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'portal: enrollment-only sessions treated as full',
    why: "the prompt's hand-off removes devices",
    file: 'src/fronts/portal/portal-session.ts',
    edits: one("if (need.full && scopeOf(signed.session) !== 'full') throw ", 'if (false) throw '),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'web: CSRF origin not checked',
    why: 'a cross-origin form posts with the session',
    file: 'src/fronts/web-common/csrf.ts',
    edits: one('if (origin !== undefined && origin !== publicOrigin) {', 'if (false) {'),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'web: CSRF token only required to be present',
    why: 'any token passes',
    file: 'src/fronts/web-common/csrf.ts',
    edits: one(
      'if (given.length !== expected.length || !timingSafeEqual(given, expected)) {',
      'if (given.length === 0) {',
    ),
    tests: PORTAL_ACCESS_TESTS,
  },
  {
    name: 'universal: token endpoint ignores redirect_uri',
    why: 'a code leaked to another redirect URI is redeemed (RFC 6749 §4.1.3)',
    file: 'src/fronts/universal/token.ts',
    edits: one(" || code.redirectUri !== single(params, 'redirect_uri')", ''),
    tests: UNIVERSAL_TESTS,
  },
  {
    name: 'universal: token endpoint ignores the client a code was issued to',
    why: 'another client redeems the code',
    file: 'src/fronts/universal/token.ts',
    edits: one('code.clientId !== client.clientId || ', ''),
    tests: UNIVERSAL_TESTS,
  },
  {
    name: 'universal: token endpoint ignores the login outcome',
    why: 'a denied login is exchanged for an id_token',
    file: 'src/fronts/universal/token.ts',
    edits: one("if (tx?.state !== 'allow' || tx.applicationId !== client.app.id)", 'if (false)'),
    tests: UNIVERSAL_TESTS,
  },
  {
    name: 'universal: token endpoint ignores which application ran the login',
    why: "another application's login is exchanged",
    file: 'src/fronts/universal/token.ts',
    edits: one(' || tx.applicationId !== client.app.id)', ')'),
    tests: UNIVERSAL_TESTS,
  },
  {
    name: 'device API: signing time 1000 times wider',
    why: 'a captured device call is accepted long after',
    file: 'src/fronts/device/device-auth.ts',
    edits: one(
      'if (Math.abs(deps.clock.now() - credentials.signedAt) > DEVICE_SKEW_MS) {',
      'if (Math.abs(deps.clock.now() - credentials.signedAt) > DEVICE_SKEW_MS * 1000) {',
    ),
    tests: ['test/push/replay.test.ts', 'test/push/forged-answers.test.ts'],
  },
  {
    name: 'device API: call signature not checked',
    why: 'anyone who knows a device id reads its requests',
    file: 'src/fronts/device/device-auth.ts',
    edits: one(
      'if (!verifyDeviceSignature(device.data.publicKey as PublicJwk, text, credentials.signature)) {',
      'if (false) {',
    ),
    tests: ['test/push/replay.test.ts', 'test/push/forged-answers.test.ts'],
  },
  {
    name: 'device API: replayed signed calls accepted',
    why: 'a captured answer or ticket purchase is sent again',
    file: 'src/fronts/device/refuse-replay.ts',
    edits: one(
      'if (!(await claims.claim(identity, credentials.signedAt, DEVICE_SKEW_MS))) {',
      'if (!(await claims.claim(identity, credentials.signedAt, DEVICE_SKEW_MS)) && false) {',
    ),
    tests: ['test/push/replay.test.ts'],
  },
  {
    name: 'auth API: replayed signed requests accepted',
    why: 'a captured /auth request starts another push or passcode check',
    file: 'src/fronts/duo-api/refuse-replay.ts',
    edits: one(
      'if (!(await claims.claim(identity, signedAt(signed.headers, deps.clock.now()), skewMs))) throw REPLAYED();',
      'await claims.claim(identity, signedAt(signed.headers, deps.clock.now()), skewMs);',
    ),
    tests: ['test/auth-api/replay.test.ts'],
  },
  {
    name: 'auth API: /auth not single use',
    why: 'a captured /auth request is replayed',
    file: 'src/fronts/auth-api/plugin.ts',
    edits: one("new Set(['POST /auth', 'POST /enroll'])", "new Set(['POST /enroll'])"),
    tests: ['test/auth-api/replay.test.ts'],
  },
  {
    name: 'auth API: any integration type may call it',
    why: 'a RADIUS or Universal application key signs Auth API calls',
    file: 'src/fronts/auth-api/plugin.ts',
    edits: one(
      "const AUTH_API_TYPES = ['auth-api'];",
      "const AUTH_API_TYPES = ['auth-api', 'radius', 'universal'];",
    ),
    tests: ['test/auth-api/signature-errors.test.ts', 'test/auth-api/endpoints.test.ts'],
  },
];
