/** Implementation details of the model shared with moire's other modules; not an API. */
@NullMarked
package dev.moire.model.internal;

import org.jspecify.annotations.NullMarked;
