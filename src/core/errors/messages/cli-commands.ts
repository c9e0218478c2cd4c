import type { MessageTable } from '../message-template.js';

/** Messages raised under src/cli/commands/ (ids are unique across every domain file). */
export const cliCommandsMessages = {
  NO_AUDIT_FILES: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no audit files ({value}) in {value2}',
    hint: "pass --dir DIR or --data-dir DIR (the server's audit.file.path)",
  },
  EXPECT_HEAD_MUST_SEQ_HASH: {
    code: 'HUSH_E_USAGE',
    template:
      '--expect-head must be SEQ:HASH or HASH (64 hex characters), as `hush audit verify` prints the head',
  },
  OUTCOME_MUST_ALLOWED_DENIED_ERROR: {
    code: 'HUSH_E_USAGE',
    template: '--outcome must be allowed, denied, error, requested or unknown, found "{outcome}"',
  },
  REFUSING_READ_VALUE_COMMAND_LINE: {
    code: 'HUSH_E_USAGE',
    template:
      'refusing to read the value from the command line (it would land in shell history); pipe it on stdin (`... | hush audit hash -`) or pass --allow-argv',
  },
  AUDIT_HASH_NEEDS_VALUE: {
    code: 'HUSH_E_USAGE',
    template: 'no value given; pipe it on stdin: `... | hush audit hash -`',
  },
  NO_AUDIT_KEY_STORE_NOR: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no audit key in the store of {dataDir} (nor at {path})',
    hint: "pass --data-dir of the server's data directory, or set HUSH_ADDR to hash on the server",
  },
  UNKNOWN_SHELL_SHELL: {
    code: 'HUSH_E_USAGE',
    template: 'unknown shell {shell}',
    hint: 'use one of {completionShells}',
  },
  FILE_BYTES_LIMIT: {
    code: 'HUSH_E_TOO_LARGE',
    template: '{what} file {file} is {length} bytes; the limit is {maxFileBytes}',
  },
  CANNOT_READ_FILE: { code: 'HUSH_E_USAGE', template: 'cannot read {what} file {file}{value}' },
  ENGINE_TYPE_NOT_SUPPORTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'engine type "{type}" is not supported',
    hint: 'use postgres',
  },
  DELETING_ENGINE_REVOKES_EVERY_CREDENTIAL: {
    code: 'HUSH_E_USAGE',
    template:
      'deleting engine {name} revokes every credential it issued (their database roles are dropped now)',
    hint: 'add --yes to confirm',
  },
  CREDS_READ_PRINTS_NEW_PASSWORD: {
    code: 'HUSH_E_USAGE',
    template: 'creds read prints a new password',
    hint: 'pass --reveal to show it on this terminal, or pipe the output / use --json',
  },
  EXPORT_WOULD_PRINT_SECRET_VALUES: {
    code: 'HUSH_E_USAGE',
    template: 'export would print secret values to the terminal',
    hint: 'use --out FILE, redirect stdout, or pass --reveal',
  },
  APPLY_FORMAT_K8S_SECRET_ONLY: {
    code: 'HUSH_E_USAGE',
    template: '{given} apply to --format k8s-secret only',
    hint: 'drop them or add it',
  },
  GENERATOR_NO_AND_MIN_CONFLICT: {
    code: 'HUSH_E_USAGE',
    template: '--no-{c} and --min-{c} contradict each other',
    hint: 'give one',
  },
  FLAG_CANNOT_READ_FILE_CODE: {
    code: 'HUSH_E_USAGE',
    template: '{flag}: cannot read {file} ({code})',
    hint: 'give a readable file',
  },
  GENERATOR_OPTION_NOT_APPLICABLE: {
    code: 'HUSH_E_USAGE',
    template: '{attr} does not apply to {kind}',
    hint: 'drop it (see docs/generate.md)',
  },
  API_KEY_NEEDS_PREFIX: {
    code: 'HUSH_E_USAGE',
    template: 'api-key needs --prefix (e.g. --prefix acme) so leaked keys are recognisable',
  },
  VERSION_LABEL_UNKNOWN: {
    code: 'HUSH_E_USAGE',
    template: '--label must be one of {versionLabels}, found "{text}"',
  },
  SECRET_HAS_NO_FIELDS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{path} holds a single value, not fields',
    hint: 'drop --field (store fields with KEY=VALUE pairs)',
  },
  NO_FIELD_FIELDS: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{path} has no field "{name}"; its fields are: {names}',
  },
  FILE_NOT_WRITTEN_BY_HUSH: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: '{file} exists and was not written by hush',
    hint: 'add `{line}` to it yourself, or rerun with --force to replace it (it is kept as {file2}{backupSuffix})',
  },
  FILE_NOT_WRITTEN_BY_HUSH_LEFT_ALONE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} was not written by hush; left alone (remove it yourself if you mean to)',
  },
  NO_DOCUMENT_GIVEN: {
    code: 'HUSH_E_USAGE',
    template: 'no document given',
    hint: 'name a file or pipe it on stdin',
  },
  CANNOT_READ_FILE_CODE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot read {file} ({code})',
    hint: 'check the path and its permissions',
  },
  SERVER_USES_TOKEN_KEY_CONFIG: {
    code: 'HUSH_E_USAGE',
    template: 'a server uses the token and key in its config (seal.tokenLabel/seal.keyLabel)',
    hint: 'drop --pkcs11-token/--pkcs11-key, or unset HUSH_ADDR to init locally',
  },
  SERVER_SEALS_PUBLIC_KEY_CONFIG: {
    code: 'HUSH_E_USAGE',
    template: 'a server seals to the public key in its config (seal.publicKeyPath)',
    hint: 'drop --public-key, or unset HUSH_ADDR to init locally',
  },
  SERVER_CONFIGURED_SEAL_NOT: {
    code: 'HUSH_E_USAGE',
    template: 'the server at {address} is configured with the {kind} seal, not {seal}',
    hint: "drop --seal or change the server's seal.kind",
  },
  RSA_SEAL_NEEDS_PUBLIC_KEY: {
    code: 'HUSH_E_USAGE',
    template: 'the rsa seal needs --public-key FILE (a PEM RSA public key of at least 3072 bits)',
  },
  PKCS11_SEAL_NEEDS_PKCS11_TOKEN: {
    code: 'HUSH_E_USAGE',
    template:
      'the pkcs11 seal needs --pkcs11-token LABEL and --pkcs11-key LABEL (the PIN comes from $HUSH_PKCS11_PIN or --pkcs11-pin-file)',
  },
  SEAL_MUST_KEY_FILE_SHAMIR: {
    code: 'HUSH_E_USAGE',
    template: '--seal must be key-file, shamir, rsa or pkcs11, found "{seal}"',
  },
  DATA_DIRECTORY_WRITABLE_OTHER_USERS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'data directory {dir} is writable by other users (mode 0{value})',
    hint: 'run chmod 700 {dir}, or choose a new folder with --data-dir',
  },
  JWT_ROLE_FILE_MUST_HOLD: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'JWT role file {file} must hold an object of role fields',
  },
  GIVE_KEYRING_PROJECT_PROJECT_ENV: {
    code: 'HUSH_E_USAGE',
    template: 'give the keyring as --project PROJECT --env ENV (both)',
  },
  REVOKING_MAKES_EVERY_SECRET_UNREADABLE: {
    code: 'HUSH_E_USAGE',
    template: 'revoking makes every secret of {scope} unreadable unless you re-import the same key material',
    hint: 'add --yes to confirm',
  },
  GIVE_KEY_WRAPPER_ID_ID: { code: 'HUSH_E_USAGE', template: 'give the key wrapper as --id ID' },
  GIVE_WRAPPED_KEY_WRAPPED_KEY: {
    code: 'HUSH_E_USAGE',
    template: 'give the wrapped key as --wrapped-key-file FILE (key material never goes on the command line)',
  },
  CANNOT_READ_WRAPPED_KEY_FILE: {
    code: 'HUSH_E_USAGE',
    template: 'cannot read --wrapped-key-file {file} ({code})',
    hint: 'check the path',
  },
  WRAPPED_KEY_FILE_BYTES_EXPECTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '--wrapped-key-file {file} is {length} bytes; expected the 384-byte output of `openssl pkeyutl -encrypt`',
  },
  LEASE_S_COULD_NOT_REVOKED: {
    code: 'HUSH_E_UPSTREAM',
    template:
      '{length} lease(s) could not be revoked yet and are queued; the server retries until the database accepts it',
  },
  GIVE_EXACTLY_ONE_LEASE_ID: {
    code: 'HUSH_E_USAGE',
    template:
      'give exactly one of a lease id or --prefix (e.g. hush lease revoke --prefix creds/main/readonly)',
  },
  CREATING_KEY_NEEDS_USER_PIN: {
    code: 'HUSH_E_USAGE',
    template:
      'creating a key needs the user PIN of token "{token}": set {pinEnv} or pass --pkcs11-pin-file (never the PIN itself on the command line)',
  },
  HUSH_ADDR_SET_BUT_COMMAND: {
    code: 'HUSH_E_USAGE',
    template:
      "HUSH_ADDR is set, but this command reads and writes a store's storage directly, not through a server: name the store with {urlFlag} URL (the server's storage, e.g. sqlite:/srv/hush/data or postgres://...) or --data-dir DIR, or unset HUSH_ADDR to use the local store",
  },
  BOTH_NAME_MIGRATE_INTO_ANOTHER: {
    code: 'HUSH_E_USAGE',
    template: '--from and --to both name {display}; migrate into another store',
  },
  HUSH_ADDR_SET_SERVER_ROTATES: {
    code: 'HUSH_E_USAGE',
    template:
      'HUSH_ADDR is set: the server rotates under its own configured HSM token, so --pkcs11-token does not apply',
    hint: "drop it (--pkcs11-key names the new key on the server's token), or pass --data-dir DIR to rotate a local store",
  },
  OPTION_NEEDS_GENERATE: { code: 'HUSH_E_USAGE', template: '{stray} needs --generate KIND' },
  HSM_LABEL_NEEDS_HSM: {
    code: 'HUSH_E_USAGE',
    template: '--hsm-label needs --hsm TOKEN (the token the key pair is on)',
  },
  GENERATE_EXCLUDES_VALUE: {
    code: 'HUSH_E_USAGE',
    template: '--generate makes the value',
    hint: 'drop {other} or drop --generate',
  },
  EXPIRES_MUST_ISO_DATE_SUCH: {
    code: 'HUSH_E_USAGE',
    template: '--expires must be an ISO 8601 date such as 2030-01-31, got {text}',
  },
  EXPIRES_TEXT_PAST: {
    code: 'HUSH_E_USAGE',
    template: '--expires {text} is in the past',
    hint: 'give a future due date (e.g. {value})',
  },
  RENDER_WOULD_PRINT_SECRET_VALUES: {
    code: 'HUSH_E_USAGE',
    template: 'render would print secret values to the terminal',
    hint: 'use --out FILE, redirect stdout, or pass --reveal',
  },
  CANNOT_READ_TEMPLATE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot read the template {path} ({code})',
    hint: 'check the path',
  },
  ROLLBACK_NEEDS_N_SEE_HUSH: {
    code: 'HUSH_E_USAGE',
    template: 'rollback needs --to N (see `hush versions`)',
  },
  GIVE_EXACTLY_ONE_PATH_ADDRESS: {
    code: 'HUSH_E_USAGE',
    template: 'give exactly one of --path ADDRESS or --prefix PREFIX',
  },
  GIVE_HOOK_COMMAND_HOOK_URL: {
    code: 'HUSH_E_USAGE',
    template: 'give --hook-command or --hook-url, not both',
  },
  HOOK_COMMAND_TAKES_JSON_ARRAY: {
    code: 'HUSH_E_USAGE',
    template:
      '--hook-command takes a JSON array of strings (argv, run without a shell), e.g. \'["/usr/local/bin/reload-app","--db"]\'',
  },
  CANNOT_READ_FILE_VALUE: { code: 'HUSH_E_USAGE', template: 'cannot read {file} ({value})' },
  MUST_HOLD_ONE_POLICY_OBJECT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} must hold one policy object (YAML or JSON)',
  },
  GENERATOR_OPTIONS_NEEDS_GENERATE_KIND: {
    code: 'HUSH_E_USAGE',
    template: '--generator-options needs --generate KIND',
  },
  GENERATOR_OPTIONS_TAKES_JSON_OBJECT: {
    code: 'HUSH_E_USAGE',
    template:
      '--generator-options takes a JSON object, e.g. \'{"length":32}\' or \'{"prefix":"acme"}\' (see docs/generate.md)',
  },
  KEY_PASSPHRASE_CANNOT_PART_ROTATION: {
    code: 'HUSH_E_USAGE',
    template: 'a key passphrase cannot be part of a rotation policy',
    hint: 'drop it',
  },
  ROTATION_S_FAILED_THEIR_CURRENT: {
    code: 'HUSH_E_ROTATION_FAILED',
    template:
      '{failed} of {length} rotation(s) failed; their current versions are unchanged (see the report above)',
  },
  GIVE_ONE_ADDRESS_PREFIX_PREFIX: {
    code: 'HUSH_E_USAGE',
    template: 'give one of ADDRESS, --prefix PREFIX or --on-deploy [--prefix PREFIX]',
  },
  NEXT_DEPLOY_FLAGS_ONE_SECRET: {
    code: 'HUSH_E_USAGE',
    template: '--next-deploy flags one secret: give its ADDRESS',
  },
  RUN_NEEDS_COMMAND: {
    code: 'HUSH_E_USAGE',
    template: 'hush run needs a command: hush run --prefix P -- cmd args...',
  },
  HUSH_RUN_NEEDS_LEAST_ONE: {
    code: 'HUSH_E_USAGE',
    template:
      'hush run needs at least one --prefix (e.g. --prefix payments/prod), or --verify/--gate to gate the command only',
  },
  ENV_NEEDS_POSITIVE_NUMBER: {
    code: 'HUSH_E_USAGE',
    template: '{name} needs a positive number, got "{value}"',
  },
  ENV_NEEDS_BYTE_COUNT: {
    code: 'HUSH_E_USAGE',
    template: '{name} needs a whole number of bytes (0 = no limit), got "{value}"',
  },
  SCAN_REMEDIATE_NEEDS_SERVER: {
    code: 'HUSH_E_USAGE',
    template: '--remediate rotates and revokes through a Hush server',
    hint: 'set HUSH_ADDR and HUSH_TOKEN (a token with admin on sys/remediate)',
  },
  SCAN_REPORT_NEEDS_SERVER: {
    code: 'HUSH_E_USAGE',
    template: '--report stores the findings on a Hush server',
    hint: 'set HUSH_ADDR and HUSH_TOKEN (a token with update on sys/scan/findings)',
  },
  SCAN_YES_NEEDS_REMEDIATE: {
    code: 'HUSH_E_USAGE',
    template: '--yes confirms --remediate; give both to act, or --remediate alone for a dry run',
  },
  STORE_CANNOT_MATCH_KNOWN_SECRETS: {
    code: 'HUSH_E_CONFIG',
    template: 'this store cannot match known secrets',
  },
  FORMAT_MUST_HUMAN_JSON_SARIF: {
    code: 'HUSH_E_USAGE',
    template: '--format must be human, json or sarif, got "{format}"',
  },
  TIMEOUT_MUST_FAIL_PASS_GOT: {
    code: 'HUSH_E_USAGE',
    template: '--on-timeout must be fail or pass, got "{onTimeout}"',
  },
  METADATA_TAKES_KEY_VALUE_GOT: { code: 'HUSH_E_USAGE', template: '--metadata takes key=value, got "{p}"' },
  NO_SHARE_STDIN_TYPE_PROMPT: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'no share on stdin; type it at the prompt, pipe one share per line, or pass --shares-file',
  },
  STORE_AMBIGUOUS_ADDR_AND_DATA_DIR: {
    code: 'HUSH_E_USAGE',
    template:
      "both HUSH_ADDR and HUSH_DATA_DIR are set; this command works on a store's storage directly, not through a server, so it will not guess between them: add --data-dir {dataDir} for HUSH_DATA_DIR's store, or {urlFlag} URL for the server's storage (e.g. sqlite:/srv/hush/data or postgres://...), or unset HUSH_ADDR",
  },
  SIGNATURE_ALGORITHM_TAKES_PSS_PKCS1V15: {
    code: 'HUSH_E_USAGE',
    template: '--signature-algorithm takes pss or pkcs1v15; got "{text}"',
  },
  CANNOT_READ_WHAT_FILE_VALUE: { code: 'HUSH_E_USAGE', template: 'cannot read {what} {file}{value}' },
  NOT_PEM_JWK_PUBLIC_KEY: { code: 'HUSH_E_INVALID_INPUT', template: '{file} is not a PEM or JWK public key' },
  NOT_ED25519_ECDSA_RSA_PUBLIC: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template: '{key} is not an Ed25519, ECDSA or RSA public key',
  },
  VERIFY_NEEDS_KEY_OR_PUBLIC_KEY: {
    code: 'HUSH_E_USAGE',
    template:
      'hush verify needs exactly one of --key NAME (checked by the server), --public-key FILE (offline) or --cert FILE with --trust STORE',
  },
  SIGNATURE_NOT_VERIFY: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template: 'the signature in {sig} does not verify {file} with {key}',
  },
  TAKES_WHOLE_NUMBER_GOT: { code: 'HUSH_E_USAGE', template: '{flag} takes a whole number; got "{text}"' },
  NOT_MATCH_INPUT: { code: 'HUSH_E_TRANSIT_INVALID', template: 'the {what} does not match the input' },
  ENDPOINT_MUST_HOST_PORT_E: {
    code: 'HUSH_E_USAGE',
    template: 'endpoint must be host:port (e.g. example.com:443), got "{text}"',
  },
  CANNOT_READ_PASSWORD_FILE: { code: 'HUSH_E_USAGE', template: 'cannot read --password-file {file}' },
  ITEM_S_FAILED_SEE_REPORT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{failed} item(s) failed (see the report above)',
  },
  STARTTLS_MUST_ONE_GOT: {
    code: 'HUSH_E_USAGE',
    template: '--starttls must be one of {protocols}, got "{starttls}"',
  },
  FAIL_MUST_ONE_GOT: {
    code: 'HUSH_E_USAGE',
    template: '--fail-on must be one of {severities}, got "{failOn}"',
  },
  CERT_ITEMS_FAILED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{failed} item(s) failed (see the report above); the others were recorded',
  },
  CERT_ITEMS_UNREACHABLE: {
    code: 'HUSH_E_UPSTREAM',
    template: '{failed} item(s) failed (see the report above); the others were recorded',
  },
} as const satisfies MessageTable;
