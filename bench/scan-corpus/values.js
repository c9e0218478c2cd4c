import { B62, B64, B64URL, BASE32, HEX, LETTERS, LOWER_ALNUM, UPPER_ALNUM } from './prng.js';

/** Fake credential values in each provider's documented shape, drawn from the corpus PRNG. */
export function createValues(rng, checksumSuffix) {
  const s = rng.str;
  const uuid = () => `${s(8, HEX)}-${s(4, HEX)}-4${s(3, HEX)}-a${s(3, HEX)}-${s(12, HEX)}`;
  const checksummed = (prefix) => {
    const body = s(30, B62);
    return `${prefix}${body}${checksumSuffix(body)}`;
  };
  const b64 = (text) => Buffer.from(text).toString('base64');
  const b64url = (text) => Buffer.from(text).toString('base64url');
  const password = () =>
    `${s(6, B62)}${rng.pick(['!', '#', '%', '^', '-', '_'])}${s(7, B62)}${rng.int(90) + 10}`;
  const hushToken = (kind) => {
    const covered = `hush_${kind}_${s(43, B62)}`;
    return `${covered}${checksumSuffix(covered)}`;
  };
  const jwt = (payload) =>
    `${b64url(JSON.stringify({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${s(43, B64URL)}`;
  const pemLines = (lead, n) => {
    const body = lead + s(n, B64);
    return body.match(/.{1,64}/g).join('\n');
  };
  return {
    uuid,
    password,
    b64,
    hex: (n) => s(n, HEX),
    b62: (n) => s(n, B62),
    awsKeyId: () => `${rng.pick(['AKIA', 'ASIA'])}${s(16, BASE32)}`,
    awsSecret: () => s(40, B64),
    gcpApiKey: () => `AIza${s(35, B64URL)}`,
    azureAccountKey: () => `${s(86, B64)}==`,
    github: (letter) => checksummed(`gh${letter}_`),
    githubFineGrained: () => `github_pat_${s(22, B62)}_${s(59, B62)}`,
    gitlab: () => `glpat-${s(20, B62)}`,
    npm: () => checksummed('npm_'),
    slackBot: () => `xoxb-${s(12, '0123456789')}-${s(13, '0123456789')}-${s(24, B62)}`,
    slackWebhook: () =>
      `https://hooks.slack.com/services/T${s(8, UPPER_ALNUM)}/B${s(10, UPPER_ALNUM)}/${s(24, B62)}`,
    discordWebhook: () => `https://discord.com/api/webhooks/1${s(18, '0123456789')}/${s(68, B64URL)}`,
    telegram: () => `${s(10, '0123456789')}:AA${s(33, B64URL)}`,
    stripe: (prefix) => `${prefix}${s(rng.pick([24, 34, 99]), B62)}`,
    sendgrid: () => `SG.${s(22, B64URL)}.${s(43, B64URL)}`,
    twilioToken: () => s(32, HEX),
    openai: () => `sk-proj-${s(74, B64URL)}T3BlbkFJ${s(74, B64URL)}`,
    anthropic: () => `sk-ant-api03-${s(93, B64URL)}AA`,
    huggingface: () => `hf_${s(34, LETTERS)}`,
    pypi: () => `pypi-AgEIcHlwaS5vcmc${s(150, B64URL)}`,
    dockerPat: () => `dckr_pat_${s(27, B64URL)}`,
    hush: () => hushToken(rng.pick(['s', 'b', 'r'])),
    vault: () => `hvs.${s(24, B62)}`,
    terraform: () => `${s(14, B62)}.atlasv1.${s(67, B62)}`,
    digitalocean: () => `dop_v1_${s(64, HEX)}`,
    shopify: () => `shpat_${s(32, HEX)}`,
    datadog: () => s(32, HEX),
    newrelic: () => `NRAK-${s(27, UPPER_ALNUM)}`,
    grafana: () => `glsa_${s(32, B62)}_${s(8, HEX)}`,
    doppler: () => `dp.st.prd.${s(40, B62)}`,
    linear: () => `lin_api_${s(40, B62)}`,
    postman: () => `PMAK-${s(24, HEX)}-${s(34, HEX)}`,
    pscale: () => `pscale_pw_${s(43, B64URL)}`,
    nuget: () => `oy2${s(43, LOWER_ALNUM)}`,
    sentry: () => `sntryu_${s(64, HEX)}`,
    jwt: () =>
      jwt({ sub: `svc-${s(6, LOWER_ALNUM)}`, role: 'service_role', iat: 1760000000, exp: 2060000000 }),
    rsaPem: () =>
      `-----BEGIN RSA PRIVATE KEY-----\n${pemLines('MIIEowIBAAKCAQEA', 1560)}\n-----END RSA PRIVATE KEY-----`,
    pkcs8Pem: (sep = '\n') =>
      `-----BEGIN PRIVATE KEY-----${sep}${pemLines('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 1560).replace(/\n/g, sep)}${sep}-----END PRIVATE KEY-----${sep}`,
    encryptedPem: () =>
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${pemLines('MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI', 1560)}\n-----END ENCRYPTED PRIVATE KEY-----`,
    legacyEncryptedPem: () =>
      `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${s(32, '0123456789ABCDEF')}\n\n${pemLines('', 1600)}\n-----END RSA PRIVATE KEY-----`,
    publicPem: () =>
      `-----BEGIN PUBLIC KEY-----\n${pemLines('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 330)}\n-----END PUBLIC KEY-----`,
    certificate: () =>
      `-----BEGIN CERTIFICATE-----\n${pemLines('MIIDdzCCAl+gAwIBAgIE', 1200)}\n-----END CERTIFICATE-----`,
    sshPublic: () => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${s(43, B64)} deploy@ci`,
  };
}
