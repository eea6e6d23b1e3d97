/**
 * moire's {@code -javaagent}: rewrites the application's and its tests' classes at load time so
 * that the JDK's own concurrency types are moire's drop-ins ({@link dev.moire.agent.MoireAgent}).
 */
@NullMarked
package dev.moire.agent;

import org.jspecify.annotations.NullMarked;
