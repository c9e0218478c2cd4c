import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import { toPem } from '../core/certs/pem.js';
import { keyGenArgs, type PkiKeyType } from '../core/certs/pki-role.js';
import {
  buildCertificate,
  externalIssuerKey,
  type IssuerKey,
  type NameAttrs,
} from '../core/certs/x509-build.js';
import type { ExternalKeyRef } from '../core/crypto/external-signer.js';
import { hushError } from '../core/errors/index.js';
import { GENERATED_LABEL_PREFIX, type HsmKeyKind, type HsmSigner } from '../ports/hsm-signer-port.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { pkiKeys } from './pki-records.js';

const generate = promisify(generateKeyPair);

/** One CA certificate with its private key: PKCS#8 PEM only ever inside the sealed record, or a key pair in an HSM. */
export type CaMaterial = {
  readonly name: NameAttrs;
  readonly certPem: string;
} & ({ readonly keyPem: string } | { readonly hsm: ExternalKeyRef });

/** The sealed CA record: the root, the intermediate that signs leaves and CRLs, and the CRL URLs put in leaves. */
export interface CaRecord {
  readonly root: CaMaterial;
  readonly intermediate: CaMaterial;
  readonly crlUrls: readonly string[];
  readonly createdAt: string;
}

/** `hush pki ca init` options. */
export interface CaInitInput {
  readonly commonName?: string;
  readonly organization?: string;
  readonly keyType?: PkiKeyType;
  readonly rootTtlDays?: number;
  readonly intermediateTtlDays?: number;
  /** CRL distribution point URLs written into every issued certificate (e.g. `https://hush:8200/v1/pki/crl`). */
  readonly crlUrls?: readonly string[];
  /** Keep both CA private keys in this HSM token (`keys.hsmTokens[].id`): generated there, never leaving it. */
  readonly hsm?: { readonly token: string };
}

/** What `hush pki ca show` gives: certificates only, never keys. */
export interface CaView {
  readonly root: string;
  readonly intermediate: string;
  /** The intermediate then the root, as a server sends after its leaf. */
  readonly chain: string;
  readonly crlUrls: readonly string[];
  readonly createdAt: string;
  readonly rootNotAfter: string;
  readonly intermediateNotAfter: string;
  /** The HSM token holding the CA keys, when they live in one. */
  readonly hsmToken?: string;
}

/** A positive random serial of 16 bytes (RFC 5280 asks for up to 20, CA/B Forum for 64 bits of randomness). */
export function newSerial(): Buffer {
  const s = randomBytes(16);
  s[0] = ((s[0] as number) & 0x7f) | 0x01;
  return s;
}

export async function newKeyPair(type: PkiKeyType): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  const [kind, opts] = keyGenArgs(type);
  // biome-ignore lint/suspicious/noExplicitAny: generateKeyPair's overloads do not accept a union of key kinds.
  return (generate as any)(kind, opts); // any: each kind is checked by keyGenArgs; the overloads take no union.
}

export const spkiOf = (key: KeyObject) => new Uint8Array(key.export({ type: 'spki', format: 'der' }));
const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The issuing CA's key and names, ready to sign (the key object lives only for the request). */
export interface Signer {
  readonly name: NameAttrs;
  readonly key: IssuerKey;
  readonly spki: Uint8Array;
  readonly cert: X509Certificate;
  readonly chainPem: readonly string[];
  readonly crlUrls: readonly string[];
}

/** The CA use cases: set it up once, show it, and hand the signer to issuing and revocation. */
export function createPkiCa(deps: {
  readonly records: SealedView;
  readonly now: () => Date;
  readonly onCreated?: (view: CaView) => Promise<void>;
  /** Signs with CA keys an HSM holds (`hush pki ca init --hsm`). */
  readonly hsm?: HsmSigner;
}) {
  const { records, now } = deps;

  /** A CA key pair: made here (PKCS#8 kept sealed), or generated in the HSM token (only its public key comes out). */
  async function caKeyPair(type: PkiKeyType, which: string, token?: string) {
    if (token === undefined) {
      const pair = await newKeyPair(type);
      return {
        publicKey: pair.publicKey,
        key: pair.privateKey as IssuerKey,
        stored: { keyPem: pkcs8(pair.privateKey) },
      };
    }
    const hsm = hsmFor(token);
    const ref = { token, label: `${GENERATED_LABEL_PREFIX}pki-${which}-${randomBytes(4).toString('hex')}` };
    const publicKey = spkiKey(await hsm.generate(ref, HSM_KIND[type]));
    return { publicKey, key: externalIssuerKey(hsm.sign, ref, publicKey), stored: { hsm: ref } };
  }

  function hsmFor(token: string): HsmSigner {
    if (!deps.hsm?.tokens.includes(token)) {
      throw hushError('HSM_SIGNING_TOKEN_NOT_CONFIGURED', {
        token,
        have: deps.hsm?.tokens.join(', ') || 'none',
      });
    }
    return deps.hsm;
  }

  /** The private key of a stored CA certificate, ready to sign. */
  function issuerKeyOf(material: CaMaterial): IssuerKey {
    if ('keyPem' in material) return createPrivateKey(material.keyPem);
    const publicKey = new X509Certificate(material.certPem).publicKey;
    return externalIssuerKey(hsmFor(material.hsm.token).sign, material.hsm, publicKey);
  }

  async function load(): Promise<CaRecord> {
    const row = await records.get<CaRecord>(pkiKeys.ca);
    if (!row) throw hushError('PKI_CA_NOT_INITIALIZED');
    return row.value;
  }

  function view(ca: CaRecord): CaView {
    return {
      root: ca.root.certPem,
      intermediate: ca.intermediate.certPem,
      chain: ca.intermediate.certPem + ca.root.certPem,
      crlUrls: ca.crlUrls,
      createdAt: ca.createdAt,
      rootNotAfter: new Date(new X509Certificate(ca.root.certPem).validTo).toISOString(),
      intermediateNotAfter: new Date(new X509Certificate(ca.intermediate.certPem).validTo).toISOString(),
      ...('hsm' in ca.intermediate ? { hsmToken: ca.intermediate.hsm.token } : {}),
    };
  }

  return {
    /** Make the root and the intermediate; refused when a CA exists (its keys are never replaced silently). */
    async init(input: CaInitInput): Promise<CaView> {
      if (await records.get(pkiKeys.ca)) throw hushError('PKI_CA_ALREADY_INITIALIZED');
      const type = input.keyType ?? 'ec-p256';
      const org = input.organization ? [{ type: 'O' as const, value: input.organization }] : [];
      const cn = input.commonName ?? 'Hush';
      const rootName: NameAttrs = [...org, { type: 'CN', value: `${cn} Root CA` }];
      const interName: NameAttrs = [...org, { type: 'CN', value: `${cn} Intermediate CA` }];
      const token = input.hsm?.token;
      if (token !== undefined) hsmFor(token);
      const root = await caKeyPair(type, 'root', token);
      const inter = await caKeyPair(type, 'intermediate', token);
      const at = now();
      const days = (n: number) => new Date(at.getTime() + n * 86_400_000);
      const notBefore = new Date(at.getTime() - 60_000);
      const rootDer = buildCertificate(
        {
          serial: newSerial(),
          issuer: rootName,
          subject: rootName,
          notBefore,
          notAfter: days(input.rootTtlDays ?? 3650),
          spki: spkiOf(root.publicKey),
          issuerSpki: spkiOf(root.publicKey),
          ca: { pathLen: 1 },
        },
        root.key,
      );
      const interDer = buildCertificate(
        {
          serial: newSerial(),
          issuer: rootName,
          subject: interName,
          notBefore,
          notAfter: days(Math.min(input.intermediateTtlDays ?? 1825, input.rootTtlDays ?? 3650)),
          spki: spkiOf(inter.publicKey),
          issuerSpki: spkiOf(root.publicKey),
          ca: { pathLen: 0 },
        },
        root.key,
      );
      const ca: CaRecord = {
        root: { name: rootName, certPem: toPem('CERTIFICATE', rootDer), ...root.stored },
        intermediate: { name: interName, certPem: toPem('CERTIFICATE', interDer), ...inter.stored },
        crlUrls: [...(input.crlUrls ?? [])],
        createdAt: at.toISOString(),
      };
      // `0`: must not exist, so two concurrent inits cannot both win.
      await records.batch([{ op: 'put', key: pkiKeys.ca, value: ca, expectedRevision: 0 }]);
      const shown = view(ca);
      await deps.onCreated?.(shown);
      return shown;
    },
    async show(): Promise<CaView> {
      return view(await load());
    },
    /** The intermediate, ready to sign leaves and CRLs. */
    async signer(): Promise<Signer> {
      const ca = await load();
      const key = issuerKeyOf(ca.intermediate);
      const cert = new X509Certificate(ca.intermediate.certPem);
      return {
        name: ca.intermediate.name,
        key,
        spki: new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' })),
        cert,
        chainPem: [ca.intermediate.certPem, ca.root.certPem],
        crlUrls: ca.crlUrls,
      };
    },
  };
}

export type PkiCa = ReturnType<typeof createPkiCa>;

/** The HSM key pair kind of each CA key type. */
const HSM_KIND: Record<PkiKeyType, HsmKeyKind> = {
  'ec-p256': 'ecdsa-p256',
  'ec-p384': 'ecdsa-p384',
  'rsa-2048': 'rsa-2048',
  'rsa-3072': 'rsa-3072',
  'rsa-4096': 'rsa-4096',
  ed25519: 'ed25519',
};

const spkiKey = (der: Buffer) => createPublicKey({ key: der, format: 'der', type: 'spki' });
