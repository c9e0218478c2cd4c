import { describe, expect, it } from 'vitest';
import { isDangerousEnvName } from './env-denylist.js';

describe('loader and interpreter denylist', () => {
  it('covers start-up hooks of other runtimes and shells, in any case', () => {
    for (const name of [
      'LUA_INIT',
      'lua_path',
      'ZDOTDIR',
      'PSQLRC',
      'DOTNET_STARTUP_HOOKS',
      'CORECLR_PROFILER_PATH',
      'COR_PROFILER_PATH',
      'RUBYOPT',
      'Ruby_Yjit_Enable',
      'GEM_PATH',
      'BUNDLE_GEMFILE',
      'RUSTC_WRAPPER',
      'GLIBC_TUNABLES',
      'TCLLIBPATH',
      'R_PROFILE_USER',
      'Ld_Preload',
    ])
      expect(isDangerousEnvName(name), name).toBe(true);
  });

  it('leaves ordinary names alone', () => {
    for (const name of ['DATABASE_URL', 'APP_PATH', 'LUAX', 'PGPASSWORD'])
      expect(isDangerousEnvName(name), name).toBe(false);
  });
});
