/** Implementation of the runtime; not an API. */
@NullMarked
package dev.moire.runtime.internal;

import org.jspecify.annotations.NullMarked;
