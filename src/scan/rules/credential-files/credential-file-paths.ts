/**
 * Files whose whole purpose is to hold a tool's credentials. In them a password setting is a finding whatever its
 * entropy: a human-chosen `Summer2024!` in `~/.pypirc` is as leaked as a random one, while the same line in source
 * code needs the stricter generic gates.
 */
const CREDENTIAL_FILES: readonly RegExp[] = [
  /(?:^|[/\\!])\.pypirc$/,
  /(?:^|[/\\!])\.my\.cnf$/,
  /(?:^|[/\\!])(?:my|client|mysql)\.cnf$/,
  /(?:^|[/\\!])\.mylogin\.cnf$/,
  /(?:^|[/\\!])\.smbcredentials$|(?:^|[/\\!])\.?(?:smb|cifs)[-_.]?cred(?:entials)?$/,
  /(?:^|[/\\!])\.m2[/\\]settings\.xml$|(?:^|[/\\!])settings(?:-security)?\.xml$/,
  /(?:^|[/\\!])gradle\.properties$/,
  /(?:^|[/\\!])sftp-config\.json$|(?:^|[/\\!])\.vscode[/\\]sftp\.json$|(?:^|[/\\!])\.ftpconfig$/,
  /(?:^|[/\\!])auth\.json$/,
  /(?:^|[/\\!])(?:\.kube[/\\]config|kubeconfig[^/\\]*)$/,
  /(?:^|[/\\!])\.netrc$|(?:^|[/\\!])_netrc$/,
  /(?:^|[/\\!])\.s3cfg$|(?:^|[/\\!])\.boto$/,
  /(?:^|[/\\!])rclone\.conf$/,
  /(?:^|[/\\!])\.git-credentials$/,
  /(?:^|[/\\!])(?:hosts|inventory)(?:\.ini|\.ya?ml)?$|(?:^|[/\\!])(?:group|host)_vars[/\\]/,
  /(?:^|[/\\!])\.?env(?:\.[a-z]+)?$/,
  // Terraform state is not listed: terraform-state-sensitive-attribute reads it by attribute, once per value.
];

/** Any credential file's path (a rule's `paths` prefilter: the password rule runs on these files only). */
export const CREDENTIAL_FILE_PATHS = new RegExp(CREDENTIAL_FILES.map((re) => re.source).join('|'));

/** True when `path` names a file that exists to hold credentials (see {@link CREDENTIAL_FILES}). */
export function isCredentialFile(path: string): boolean {
  // `.env.example`, `settings.xml.sample`, `auth.json.dist`: templates hold stand-ins, not credentials.
  if (/(?:example|sample|template|dist|tmpl)[^/\\]*$/i.test(path)) return false;
  return CREDENTIAL_FILES.some((re) => re.test(path));
}
