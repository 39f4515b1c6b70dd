export { loadConfig, CONFIG_FILE_NAMES, type LoadedConfig } from './load.js';
export { validateConfig, parseSize, ConfigError, FAIL_ON_VALUES, type KeywardenConfig, type FailOn } from './schema.js';
