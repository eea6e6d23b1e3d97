/** moire's JUnit glue that users never call: not exported. */
@NullMarked
package dev.moire.junit.internal;

import org.jspecify.annotations.NullMarked;
