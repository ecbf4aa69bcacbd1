// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for the tests only.
//
// Started by the `oidc_provider` fixture (tests/loopback_oidc/provider.py) with the one client it
// serves in OIDC_TEST_CLIENT (JSON: client_id, client_secret, redirect_uris,
// post_logout_redirect_uris, backchannel_logout_uri) and its RSA signing key in
// OIDC_TEST_SIGNING_KEY (a private JWK: the tests sign tokens of their own with it). It listens on 127.0.0.1 at a free port and
// prints {"issuer": ...} as its first line. Its own sign-in page takes the HSA-id a SITHS card
// would carry and the person's name, so a test signs in as anyone: the account's `sub` is derived
// from the HSA-id, and a login that is not an HSA-id (not starting with "SE") gets no HSA-id claim.
// No page loads anything from outside loopback (oidc-provider's development pages fetch a font).

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const client = JSON.parse(process.env.OIDC_TEST_CLIENT);
const accounts = new Map(); // accountId (the sub) -> { login, name }

function subFor(login) {
  return `konto-${crypto.createHash('sha256').update(login).digest('hex').slice(0, 16)}`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const signingKey = JSON.parse(process.env.OIDC_TEST_SIGNING_KEY);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      backchannel_logout_session_required: true,
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'hsa_id'] },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Logga ut från identitetsleverantören?', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>
<button type="submit" form="op.logoutForm">Nej</button>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Utloggad från identitetsleverantören', '<p>Du är utloggad.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          name: account.name,
          ...(account.login.toUpperCase().startsWith('SE') ? { hsa_id: account.login } : {}),
        }),
      };
    },
    // A first-party client: the staff member is not asked to consent to each scope.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
    // Its outgoing requests (the back-channel logout) refuse loopback addresses against SSRF;
    // here loopback is the only place the client is, so without that dispatcher.
    fetch: (url, { dispatcher, ...options }) => globalThis.fetch(url, options),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Fel hos identitetsleverantören', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
  });
  provider.on('backchannel.error', (ctx, error) => console.error('backchannel.error', error.message));

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([A-Za-z0-9_-]+)$/);
    if (!match) return callback(req, res);
    try {
      if (req.method === 'POST') {
        const form = await readForm(req);
        const login = (form.get('login') || '').trim().slice(0, 100);
        const sub = subFor(login);
        accounts.set(sub, { login, name: (form.get('name') || login).slice(0, 200) });
        return await provider.interactionFinished(req, res, { login: { accountId: sub } });
      }
      await provider.interactionDetails(req, res);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Logga in med SITHS eID (test)', `<form method="post">
<label>HSA-id <input name="login" required autocomplete="off"></label>
<label>Namn <input name="name" autocomplete="off"></label>
<button type="submit">Logga in hos identitetsleverantören</button></form>`));
    } catch (error) {
      res.statusCode = 400;
      res.end(String(error.message));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
