/**
 * The JUnit 5 side of moire: annotate a test with {@link dev.moire.junit.MoireTracked}, take a
 * {@link dev.moire.junit.MoireGraph} parameter to look at its graph or wait for a state, and state
 * facts about it with {@link dev.moire.junit.MoireAssertions}.
 */
@NullMarked
package dev.moire.junit;

import org.jspecify.annotations.NullMarked;
