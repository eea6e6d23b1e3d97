/**
 * The moire runtime: the live graph ({@link dev.moire.runtime.MoireRuntime}), the handles through
 * which tracked primitives record their state, and the causal context that says which task is doing
 * what.
 */
@NullMarked
package dev.moire.runtime;

import org.jspecify.annotations.NullMarked;
