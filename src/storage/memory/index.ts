/** The memory adapter's face (the same names in every adapter folder: open, config schema, parse, types). */
export { MemoryBackend, openMemoryBackend } from './memory-backend.js';
export {
  type MemoryConfig,
  type MemoryConfigInput,
  memoryConfigSchema,
  parseMemoryConfig,
} from './memory-config.js';
