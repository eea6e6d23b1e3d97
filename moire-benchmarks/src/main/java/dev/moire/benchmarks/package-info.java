/**
 * JMH benchmarks of what tracking costs against the raw JDK, and {@link
 * dev.moire.benchmarks.BenchmarkTable}, which runs a short profile and prints one table.
 */
package dev.moire.benchmarks;
