/**
 * Credentials printed in specifications and vendor documentation (RFC 6749 / 5849, jwt.io, PyJWT, Stripe, Slack,
 * AWS, GitHub, Mailgun), emulators' fixed keys and installed apps' public OAuth clients. They are copied into code
 * samples, tests and docs everywhere and grant nothing.
 */
const KNOWN_EXAMPLES: readonly string[] = [
  // RFC 6749 (OAuth 2.0) examples
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  'gX1fBat3bV',
  // RFC 5849 (OAuth 1.0) examples
  'hh5s93j4hdidpola',
  'hdk48Djdsa',
  'kd94hf93k423kf44',
  'nnch734d00sl2jdk',
  'pfkkdhi9sl3r4s00',
  'dpf43f3p2l4k3l03',
  'jjd999tj88uiths3',
  'ad180jjd733klru7',
  // jwt.io and PyJWT documentation signatures
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  '4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg',
  // Vendor documentation keys
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  'key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
  // Emulator keys, the same in every installation: Azurite / Azure Storage Emulator's well-known account key
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  // OAuth clients of installed applications, public by design: the Google Cloud SDK's (gcloud, and its
  // application-default-credentials client)
  'ZmssLNjJy2998hD4CTg2ejr2',
  'd-FL95Q19q7MQmFpd7hHD0Ty',
];

/** True when `text` contains a credential known from specifications or vendor documentation. */
export function containsKnownExample(text: string): boolean {
  return KNOWN_EXAMPLES.some((example) => text.includes(example));
}
