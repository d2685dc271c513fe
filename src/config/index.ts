export { loadConfig, redactConfig, CLOUDS, DEFAULT_HOSTS, type Config, type CloudVariant } from "./load";
export { optionsSchema, envSchema, type Options } from "./schema";
