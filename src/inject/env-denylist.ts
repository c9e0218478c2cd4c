/**
 * Variables that make a program load or run code chosen by whoever sets them: dynamic loaders, interpreters' option
 * and module-path variables, shells' start-up files, tools that run helpers (pagers, editors, git, npm, OpenSSL
 * engines, glibc's iconv modules), and the search path itself. A secret that maps to one of them would let anyone
 * who may write one secret under the prefix run code in the application, so `hush run` and k8s-secret export
 * refuse them unless the operator names the variable with `--map` (docs/injection.md lists them).
 */
const EXACT = new Set([
  'PATH',
  'HOME',
  'XDG_CONFIG_HOME',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_REPL_EXTERNAL_MODULE',
  'ELECTRON_RUN_AS_NODE',
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'IFS',
  'CLASSPATH',
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  'GCONV_PATH',
  'NLSPATH',
  'OPENSSL_CONF',
  'OPENSSL_ENGINES',
  'PAGER',
  'EDITOR',
  'VISUAL',
  'LESSOPEN',
  'LESSCLOSE',
  'MANPAGER',
  'BROWSER',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'ZDOTDIR',
  'PSQLRC',
  'GLIBC_TUNABLES',
  'DOTNET_STARTUP_HOOKS',
  'COR_ENABLE_PROFILING',
  'COR_PROFILER',
  'COR_PROFILER_PATH',
  'BUNDLE_GEMFILE',
  'RUSTC_WRAPPER',
  'TCLLIBPATH',
  'R_PROFILE',
  'R_PROFILE_USER',
]);

/** Whole families: LD_PRELOAD, DYLD_INSERT_LIBRARIES, PYTHONSTARTUP/PYTHONWARNINGS, PERL5OPT, GIT_SSH_COMMAND, ... */
const PREFIXES = [
  'LD_',
  'DYLD_',
  'PYTHON',
  'PERL',
  'JAVA_',
  '_JAVA_',
  'JDK_JAVA_',
  'GIT_',
  'NPM_CONFIG_',
  'YARN_',
  'BASH_FUNC_',
  'RUBY',
  'GEM_',
  'LUA_',
  'CORECLR_',
];

/** True when setting `name` in a process's environment can make it load or run code (case-insensitive). */
export function isDangerousEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return EXACT.has(upper) || PREFIXES.some((p) => upper.startsWith(p));
}
