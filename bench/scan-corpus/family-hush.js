import { FileBuilder } from './file-builder.js';

const S = 'hush';

/** Hush's own secrets, in the forms its CLI and API print them. */
export const HUSH_FILES = [
  (f, i) => {
    const t = f.hushToken('s');
    const r = f.hushToken('r');
    return new FileBuilder(`ops/${i}/.envrc`)
      .add(`export HUSH_ADDR=https://hush${i}.internal:8200`)
      .secret(`export HUSH_TOKEN=${t}`, S, 'hush-service-token', t)
      .secret(`# recovery: ${r}`, S, 'hush-recovery-token', r);
  },
  (f, i) => {
    const t = f.hushToken('b');
    return new FileBuilder(`.github/workflows/deploy-${i}.yml`)
      .add('name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:')
      .secret(`      HUSH_TOKEN: "${t}"`, S, 'hush-batch-token', t)
      .add('    steps:\n      - uses: actions/checkout@v4\n      - run: hush run --env prod -- ./deploy.sh');
  },
  (f, i) => {
    const set = f.hex(8);
    const b = new FileBuilder(`docs/ops-${i}/unseal-ceremony.txt`).add(
      `Hush unseal shares (threshold 3 of 5), printed ${2026}-11-0${(i % 9) + 1}\nstore: prod-${i}\n`,
    );
    for (let n = 1; n <= 5; n++) {
      const share = f.hushShare(set, n);
      b.secret(`  share ${n}: ${share}`, S, 'hush-unseal-share', share);
    }
    return b.add('\nKeep each share with a different custodian.');
  },
  (f, i) => {
    const sid = f.secretId();
    const role = `${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}`;
    return new FileBuilder(`ci/${i}/approle.env`)
      .add(`HUSH_ADDR=https://hush.example.com\nHUSH_ROLE_ID=${role}`)
      .secret(`HUSH_SECRET_ID=${sid}`, S, 'approle-secret-id-env', sid);
  },
  (f, i) => {
    const sid = f.secretId();
    return new FileBuilder(`scripts/${i}/login.sh`)
      .add(
        '#!/bin/sh\nset -eu\ncurl -sS -H \'content-type: application/json\' -X POST "$HUSH_ADDR/v1/auth/approle/login" \\',
      )
      .secret(
        `  -d '{"roleId":"${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}","secretId":"${sid}"}'`,
        S,
        'approle-secret-id-json',
        sid,
      );
  },
  (f, i) => {
    const k = f.apiKey(['acme', 'pay', 'orders-svc', 'Tenant'][i % 4]);
    return new FileBuilder(`services/${i}/config/production.toml`)
      .add('[server]\nport = 8443\n\n[upstream]\nurl = "https://api.partner.example"')
      .secret(`key = "${k}"`, S, 'hush-generated-api-key', k)
      .add('timeout_ms = 3000');
  },
];
