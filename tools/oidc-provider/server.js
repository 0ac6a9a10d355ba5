// A real OpenID Connect provider (panva's oidc-provider, OpenID Certified) on the loopback,
// for the log-in tests (tests/accounts). Started by the test suite, never in production.
//
//   node server.js            listens on 127.0.0.1 on a free port (or OIDC_TEST_PORT) and
//                             prints one line:
//                             "listening http://127.0.0.1:<port>"
//
// Its one client is the portal: client id and secret from OIDC_TEST_CLIENT_ID and
// OIDC_TEST_CLIENT_SECRET (defaults below), authorization code flow with PKCE, redirect and
// post-logout URIs on any loopback address (the test server's port changes every run).
//
// Log-in page: oidc-provider's development pages (any name, any password). The name typed
// becomes the subject (`sub`). A few names make the provider misbehave on purpose, so that
// the tests can show that the portal refuses what it must refuse; the ID token is still
// signed with the provider's real key:
//   wrong-issuer*    the ID token's `iss` is another issuer
//   wrong-audience*  the ID token's `aud` is another client
//   expired*         the ID token expired an hour ago
//   verified*        the e-mail claim comes with email_verified: true
import http from 'node:http';

import Provider from 'oidc-provider';

const clientId = process.env.OIDC_TEST_CLIENT_ID || 'kompetanseportalen';
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET || 'test-secret-not-for-production';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', 'testserver']);

function loopback(uri) {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

const server = http.createServer();
server.listen(Number(process.env.OIDC_TEST_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: ['http://127.0.0.1/accounts/oidc/callback/'],
        post_logout_redirect_uris: ['http://127.0.0.1/accounts/login/'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'name'],
    },
    cookies: { keys: ['loopback-test-only-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, Session: 3600, Interaction: 600 },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: `${id}@example.no`,
            email_verified: id.startsWith('verified'),
            given_name: 'Test',
            family_name: id,
            name: `Test ${id}`,
          };
        },
      };
    },
    // The portal is the provider's own client: no consent page.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;

  // The test server's port is only known when it runs: allow any loopback URI.
  provider.Client.prototype.redirectUriAllowed = loopback;
  provider.Client.prototype.postLogoutRedirectUriAllowed = loopback;

  // The misbehaving subjects (see the top of this file).
  const { issue } = provider.IdToken.prototype;
  provider.IdToken.prototype.issue = async function tampered(options = {}) {
    const sub = this.ctx?.oidc?.account?.accountId || this.available?.sub || '';
    if (options.use === 'idtoken' && sub.startsWith('wrong-audience')) {
      const { client } = this;
      this.client = new Proxy(client, {
        get(target, key) {
          if (key === 'clientId') return 'someone-else';
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    }
    if (options.use === 'idtoken' && sub.startsWith('expired')) {
      return issue.call(this, { ...options, expiresAt: Math.floor(Date.now() / 1000) - 3600 });
    }
    if (options.use === 'idtoken' && sub.startsWith('wrong-issuer')) {
      const real = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(provider), 'issuer');
      Object.defineProperty(provider, 'issuer', { value: 'http://127.0.0.1:1/other', configurable: true });
      try {
        return await issue.call(this, options);
      } finally {
        delete provider.issuer;
        if (!real) Object.defineProperty(provider, 'issuer', { value: issuer, configurable: true });
      }
    }
    return issue.call(this, options);
  };

  server.on('request', provider.callback());
  process.stdout.write(`listening ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
