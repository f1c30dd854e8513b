// A real, certified OpenID provider (the npm package oidc-provider) for the web app's sign-in tests only.
//
//   node tests/oidc/provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Issuer http://127.0.0.1:PORT, one confidential client that must use PKCE, and the built-in development
// login and consent pages (any password; the login name picks one of ACCOUNTS below).
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

// login name -> the claims the provider releases; tests/web/test_oidc.py relies on each of these
const ACCOUNTS = {
  ada: { name: 'Ada Oidc', preferred_username: 'ada.oidc', nis_role: 'admin' },
  kari: {  // an e-mail address is no user name: the app names her by a hash of issuer and subject
    name: 'Kari Kommune', preferred_username: 'kari@example.no', nis_role: 'municipality', nis_municipality: '5001',
  },
  multi: { preferred_username: 'multi.oidc', nis_role: ['examiner', 'unknown-role', 'teacher'] },  // teacher wins
  nobody: { preferred_username: 'nobody.oidc' },  // no role claim at all
  bad: { preferred_username: 'bad.oidc', nis_role: 'municipality', nis_municipality: '9999' },  // no such kommune
  turid: { preferred_username: 'turid', nis_role: 'admin' },  // the name of a local account with a password
  sensor: { preferred_username: 'sensor.oidc', nis_role: 'examiner' },
  // another person whom the provider gave the same handle (reused, or edited to it): a subject of their own
  'sensor-2': { preferred_username: 'sensor.oidc', nis_role: 'examiner' },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'nis'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    nis: ['nis_role', 'nis_municipality', 'nis_participant'],
  },
  async findAccount(ctx, sub) {
    if (!Object.hasOwn(ACCOUNTS, sub)) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...ACCOUNTS[sub] }) };
  },
  cookies: { keys: ['only-for-tests-not-secret'] },
  features: { devInteractions: { enabled: true } },
});

const server = provider.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${provider.issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
