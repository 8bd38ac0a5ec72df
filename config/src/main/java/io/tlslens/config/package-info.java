/**
 * Configuration: HOCON (Typesafe Config) over {@code reference.conf} into immutable settings records,
 * validated up front. Every problem names the key path, {@code file:line} and a fix
 * ({@link io.tlslens.config.ConfigProblem}); {@link io.tlslens.config.ConfigLoader} is the entry point.
 */
package io.tlslens.config;
