import type { Rule } from '../rule.js';
import { contextRule, patternRule, tokenRule } from '../shared/define-rule.js';
import { B62, B64, fake } from '../shared/fake-value.js';

const accountKey = (seed: string) => `${fake(seed, 86, B64)}==`;
const adSecret = (seed: string) => `${fake(seed, 3, B62)}8Q~${fake(`${seed}-b`, 34, `${B62}_.-`)}`;

export const azureRules: readonly Rule[] = [
  patternRule({
    id: 'azure-storage-account-key',
    title: 'Azure storage / Cosmos DB account key in a connection string',
    severity: 'critical',
    keywords: ['accountkey'],
    pattern: /(?<![A-Za-z0-9])AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/,
    examples: [
      `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${accountKey('az-1')};EndpointSuffix=core.windows.net"`,
      `"CosmosDb": "AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${accountKey('az-2')};"`,
    ],
    falsePositives: [
      'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<account-key>;',
      `AccountKey=${fake('az-3', 40, B64)}==`,
    ],
  }),
  contextRule({
    id: 'azure-storage-key-in-context',
    title: 'Azure storage account key assigned to a storage-key name',
    severity: 'critical',
    keywords: ['storage'],
    context: 'storage_?account_?key|azure_?storage_?key|storage_?access_?key|storagekey',
    secret: '[A-Za-z0-9+/]{86}==',
    examples: [`AZURE_STORAGE_KEY=${accountKey('az-4')}`, `storage_account_key = "${accountKey('az-5')}"`],
    falsePositives: [
      'AZURE_STORAGE_KEY=$(az storage account keys list)',
      `storage_account_key = "${fake('s', 20)}"`,
    ],
  }),
  patternRule({
    id: 'azure-sas-token',
    title: 'Azure shared access signature (SAS) with signature',
    keywords: ['sig='],
    pattern:
      /(?<![A-Za-z0-9])sv=\d{4}-\d{2}-\d{2}&[^\s"'<>]{0,400}?[?&]?sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})/,
    minEntropy: 4,
    examples: [
      `https://acme.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T00:00:00Z&st=2026-01-01&spr=https&sig=${fake('sas-1', 40, B62)}%2B${fake('sas-2', 3, B62)}%3D`,
    ],
    falsePositives: ['?sv=2022-11-02&ss=b&sp=r&sig=<signature>', '?sv=2022-11-02&sig=abc'],
  }),
  tokenRule({
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret (Q~ format)',
    severity: 'critical',
    keywords: ['q~'],
    token: '[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}',
    boundary: 'A-Za-z0-9_~.-',
    minEntropy: 3.5,
    examples: [`AZURE_CLIENT_SECRET=${adSecret('aad-1')}`, `"ClientSecret": "${adSecret('aad-2')}"`],
    falsePositives: [`secret = abc8Q~short`, `"ClientSecret": "${fake('aad-3', 40)}"`],
  }),
  contextRule({
    id: 'azure-ad-client-secret-in-context',
    title: 'Azure AD application secret assigned to an Azure client-secret name',
    severity: 'high',
    keywords: ['azure', 'aad', 'arm_client'],
    context:
      'azure_?client_?secret|azure_?ad_?secret|aad_?client_?secret|arm_?client_?secret|azure_?app_?secret',
    secret: '[A-Za-z0-9_~.+/=-]{32,44}',
    minEntropy: 4,
    examples: [
      `ARM_CLIENT_SECRET=${fake('aad-4', 34, `${B62}.~_-`)}`,
      `azure_client_secret: "${fake('aad-5', 40, B64)}"`,
    ],
    falsePositives: [`ARM_CLIENT_SECRET=\${{ secrets.ARM_CLIENT_SECRET }}`, 'azure_client_secret: "short"'],
  }),
  patternRule({
    id: 'azure-service-bus-connection-string',
    title: 'Azure Service Bus / Event Hubs shared access key',
    severity: 'critical',
    keywords: ['sharedaccesskey='],
    pattern:
      /Endpoint=sb:\/\/[^;\s"']{1,120};\s?SharedAccessKeyName=[^;\s"']{1,120};\s?SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/,
    examples: [
      `SERVICEBUS="Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${fake('sb-1', 43, B64)}="`,
    ],
    falsePositives: [
      'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=<key>',
    ],
  }),
  patternRule({
    id: 'azure-app-configuration-connection-string',
    title: 'Azure App Configuration connection string secret',
    keywords: ['azconfig.io'],
    pattern:
      /Endpoint=https:\/\/[a-z0-9-]{1,60}\.azconfig\.io;\s?Id=[^;\s"']{1,80};\s?Secret=(?<secret>[A-Za-z0-9+/]{40,88}=?)/,
    examples: [
      `AppConfig="Endpoint=https://acme-cfg.azconfig.io;Id=${fake('ac-id', 20, B62)};Secret=${fake('ac-1', 44, B64)}="`,
    ],
    falsePositives: [`Endpoint=https://acme-cfg.azconfig.io;Id=x;Secret=\${APP_CONFIG_SECRET}`],
  }),
  contextRule({
    id: 'azure-devops-pat',
    title: 'Azure DevOps personal access token',
    keywords: ['devops', 'azdo', 'vsts', 'ado_'],
    context: 'azure_?devops|azdo|vsts|ado_?pat|ado_?token',
    secret: '[a-z2-7]{52}|[A-Za-z0-9]{84}',
    minEntropy: 3.8,
    examples: [
      `AZURE_DEVOPS_PAT=${fake('ado-1', 52, 'abcdefghijklmnopqrstuvwxyz234567')}`,
      `azdo_token: ${fake('ado-2', 84)}`,
    ],
    falsePositives: ['AZURE_DEVOPS_PAT=$(System.AccessToken)', `AZURE_DEVOPS_ORG=${fake('ado-3', 12)}`],
  }),
];
